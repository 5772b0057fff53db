import { Field, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { FederationRole } from '../operators/role.js';
import { MembershipApplication } from './member.entity.js';

@ObjectType({ description: 'A public key an applicant asks to be admitted with.' })
export class ApplicationKey {
  @Field({ description: 'RFC 7638 thumbprint.' })
  kid: string;
  @Field({ description: 'Ed25519 (signing) or X25519 (agreement).' })
  curve: string;
  @Field({
    description:
      'True for the key that signed the application: the federation verified that signature when it ' +
      'accepted the application, so the applicant holds its private key.',
  })
  signedTheApplication: boolean;
}

/** The kid of a compact JWS's protected header (the application was verified at intake). */
function signerKid(jws: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

@Resolver(() => MembershipApplication)
export class ApplicationKeysResolver {
  @Allow(FederationRole.OPERATOR)
  @ResolveField(() => [ApplicationKey], {
    description: 'The keys of the application, and which one proved itself by signing it.',
  })
  keys(@Parent() application: MembershipApplication): ApplicationKey[] {
    const signer = signerKid(application.jws);
    return application.jwks.keys.map((key) => ({
      kid: key.kid,
      curve: key.crv,
      signedTheApplication: key.kid === signer,
    }));
  }
}
