import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ChangeMyPasswordInput, ChangeMyPasswordPayload, LoginInput, LogoutPayload, RefreshSessionInput, SessionPayload } from './session.inputs';
import * as sessions from './session.service';

/** Sign-in and sessions. login and refreshSession are public (PUBLIC_OPERATIONS); the rest need a principal. */
@Resolver()
export class SessionResolver {
  @Mutation(() => SessionPayload, {
    description:
      'Sign in with username and password. Wrong password and unknown user give the same UNAUTHENTICATED error; ' +
      'repeated failures slow down and then lock that username from that client address (and an address failing over many usernames) ' +
      'for 15 minutes: RATE_LIMITED with retryAfterSeconds. Other addresses can still sign in to the account; an administrator can ' +
      'clear its locks with unlockPrincipal.',
  })
  login(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see LoginInput.' }) input: LoginInput): Promise<SessionPayload> {
    return sessions.login(ctx, input);
  }

  @Mutation(() => SessionPayload, { description: 'Trade a refresh token for new tokens (the old refresh token stops working; reusing it ends the session).' })
  refreshSession(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RefreshSessionInput.' }) input: RefreshSessionInput): Promise<SessionPayload> {
    return sessions.refreshSession(ctx, input);
  }

  @Authorized()
  @Mutation(() => LogoutPayload, { description: 'End the current session: its access and refresh tokens stop working.' })
  logout(@Ctx() ctx: Context): Promise<LogoutPayload> {
    return sessions.logout(ctx);
  }

  @Authorized()
  @Mutation(() => LogoutPayload, { description: 'End every session of your account (API keys are unaffected).' })
  logoutEverywhere(@Ctx() ctx: Context): Promise<LogoutPayload> {
    return sessions.logoutEverywhere(ctx);
  }

  @Authorized()
  @Mutation(() => ChangeMyPasswordPayload, {
    description: 'Change your password; your other sessions are signed out. After 5 wrong current passwords in 15 minutes: RATE_LIMITED for 15 minutes.',
  })
  changeMyPassword(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ChangeMyPasswordInput.' }) input: ChangeMyPasswordInput): Promise<ChangeMyPasswordPayload> {
    return sessions.changeMyPassword(ctx, input);
  }
}
