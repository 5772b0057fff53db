import { registerDecorator, type ValidationOptions } from 'class-validator';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

// Region codes that Intl knows but that are not countries (European Union, United Nations, unknown…).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);

/** ISO 3166-1 alpha-2 country codes known to this Node.js (Intl), upper-case, e.g. FR, GB. */
export function isCountryCode(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value) || NOT_COUNTRIES.has(value)) return false;
  try {
    return regionNames.of(value) !== undefined;
  } catch {
    return false;
  }
}

/** The canonical form of a BCP 47 language tag (`en-gb` → `en-GB`), or undefined when it is not one. */
export function canonicalLanguageTag(value: string): string | undefined {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(value)) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical;
  } catch {
    return undefined;
  }
}

function decorator(
  name: string,
  message: string,
  validate: (value: unknown) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate },
    });
}

export const IsCountryCode = (options?: ValidationOptions): PropertyDecorator =>
  decorator(
    'isCountryCode',
    '$property must be an ISO 3166-1 alpha-2 country code such as FR or GB',
    isCountryCode,
    options,
  );

export const IsLanguageTag = (options?: ValidationOptions): PropertyDecorator =>
  decorator(
    'isLanguageTag',
    '$property must be a BCP 47 language tag such as fr or en-GB',
    (value) => typeof value === 'string' && value.length <= 35 && canonicalLanguageTag(value) !== undefined,
    options,
  );

/** Trims strings (leaves other values to the validators). */
export const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
