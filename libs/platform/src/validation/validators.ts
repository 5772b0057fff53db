import { registerDecorator, type ValidationOptions } from 'class-validator';
import { checkEmailText } from './text-safety.js';

/** ISO 4217 codes known to this Node.js (Intl), e.g. EUR, USD, JPY. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && CURRENCIES.has(value);
}

export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 4217 currency code such as EUR or USD', ...options },
      validator: { validate: isCurrencyCode },
    });
}

/** Phones are stored in E.164: `+` then 8 to 15 digits, no spaces. */
export const E164 = /^\+[1-9]\d{7,14}$/;

/** Normalises a phone typed by a person to E.164, or returns undefined when it cannot. */
export function toE164(raw: string): string | undefined {
  let value = raw.trim().replace(/[\s().-]/g, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  return E164.test(value) ? value : undefined;
}

export function IsPhoneNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPhoneNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be a phone number in international form, e.g. +33 1 23 45 67 89',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && toE164(value) !== undefined },
    });
}

/**
 * An e-mail address people can trust by reading it: no invisible, bidi or control characters, and
 * no label mixing look-alike scripts (`pаypal` with a Cyrillic `а`). Pair it with @IsEmail().
 */
export function IsReadableEmail(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isReadableEmail',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => {
          const checked =
            typeof args.value === 'string' ? checkEmailText(args.value) : { reason: 'is not text' };
          return `$property ${'reason' in checked ? checked.reason : 'is not valid'}`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && 'value' in checkEmailText(value),
      },
    });
}
