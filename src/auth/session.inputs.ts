import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { PrincipalNode } from '../principals/principal.types';

@InputType({ description: 'Credentials of a user.' })
export class LoginInput {
  @Field({ description: 'Sign-in name (case-insensitive).' })
  username!: string;
  @Field({ description: 'Password.' })
  password!: string;
}

@InputType({ description: 'The refresh token received from login or the previous refresh.' })
export class RefreshSessionInput {
  @Field({ description: 'Refresh token; each one works once (presenting a used one ends the session).' })
  refreshToken!: string;
}

@InputType({ description: 'Your current password and the new one.' })
export class ChangeMyPasswordInput {
  @Field({ description: 'Your current password.' })
  currentPassword!: string;
  @Field({ description: 'The new password, at least 10 characters.' })
  newPassword!: string;
}

@ObjectType({ description: 'Tokens of a session: send the access token as `Authorization: Bearer <token>`.' })
export class SessionPayload {
  @Field({ description: 'Short-lived signed access token (JWT, ES256).' })
  accessToken!: string;
  @Field({ description: 'Opaque refresh token: trade it for new tokens with refreshSession before the access token expires. Works once.' })
  refreshToken!: string;
  @Field({ description: 'When the access token expires.' })
  expiresAt!: Date;
  @Field(() => PrincipalNode, { description: 'The signed-in principal.' })
  principal!: PrincipalNode;
}

@ObjectType({ description: 'What signing out ended.' })
export class LogoutPayload {
  @Field(() => Int, { description: 'Sessions revoked.' })
  revokedSessions!: number;
}

@ObjectType({ description: 'Outcome of a password change.' })
export class ChangeMyPasswordPayload {
  @Field(() => Int, { description: 'Other sessions that were signed out.' })
  revokedSessions!: number;
}
