import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { CONSENT_BATCH_MAX } from '#federation-client';
import { DATA_CATEGORIES, PURPOSES, type DataCategory, type Purpose } from '#protocol';

/**
 * Bodies of the protocol routes. The JWS are only checked to be strings here: everything else is
 * the protocol library's job, so that a malformed message is refused *and recorded*.
 */
const MAX_JWS = 256 * 1024;
const ENTITY_ID = /^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/;

export class ApplicationBody {
  @IsString()
  @MaxLength(MAX_JWS)
  application: string;
}

export class KeyRotationBody {
  @IsString()
  @MaxLength(MAX_JWS)
  announcement: string;
}

export class AgreementBody {
  @IsString()
  @MaxLength(MAX_JWS)
  agreement: string;
}

export class TransitionBody {
  @IsString()
  @MaxLength(MAX_JWS)
  transition: string;
}

export class ConsentBody {
  /** A `consent-registration` JWS: one recipient's registration of a consent. */
  @IsString()
  @MaxLength(MAX_JWS)
  registration: string;
}

export class ConsentBatchBody {
  /** `consent-registration` JWS of one agreement pair's batch, each verified on its own. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CONSENT_BATCH_MAX)
  @IsString({ each: true })
  @MaxLength(MAX_JWS, { each: true })
  registrations: string[];
}

export class WithdrawalBody {
  @IsString()
  @MaxLength(MAX_JWS)
  withdrawal: string;
}

export class ConsentCheckBody {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'subjectToken must be a base64url SHA-256 (43 characters)' })
  subjectToken: string;

  @IsString()
  @Matches(ENTITY_ID, { message: 'recipient must be a partner id' })
  recipient: string;

  @IsIn(PURPOSES)
  purpose: Purpose;

  @IsIn(DATA_CATEGORIES)
  category: DataCategory;

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID, { message: 'controller must be a partner id' })
  controller?: string;
}

export class ProposalBody {
  @IsString()
  @MaxLength(MAX_JWS)
  proposal: string;
}

export class AcceptanceBody {
  @IsString()
  @MaxLength(MAX_JWS)
  acceptance: string;
}

export class ManifestBody {
  @IsString()
  @MaxLength(MAX_JWS)
  manifest: string;
}
