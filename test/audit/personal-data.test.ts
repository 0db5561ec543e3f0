import { defineAbility } from '../../src/auth/ability';
import { Role } from '../../src/auth/roles';
import type { Context } from '../../src/context';
import { forReader } from '../../src/audit/personal-data';
import type { AuditRow } from '../../src/audit/audit.repo';

/*
 * The redaction rule of the audit log in memory, with real abilities (ability.ts): personal data is shown to
 * those who may read it on the live object, and hidden for kinds of entries nobody has decided about.
 * (Which entries a reader gets at all is tested over HTTP in audit-visibility.test.ts.)
 */
const reader = (role: Role, unitPath: string | null) => ({ ability: defineAbility([{ role, unitPath }]) }) as unknown as Context;
const row = (over: Partial<AuditRow>): AuditRow => ({
  id: '1', at: new Date(), principalId: 1, action: 'x', objectType: 'Unit', objectId: '1', unitPath: '1.2', before: null, after: null, requestId: null,
  subjectPrincipalId: null, subjectHomePath: null, subjectGrantPaths: null, ...over,
});

it('about a principal: the e-mail, phone and address only for those who may read that principal', () => {
  const e = row({ objectType: 'Principal', subjectPrincipalId: 9, subjectHomePath: '1.2.3', subjectGrantPaths: ['1.2.3'], after: { email: 'a@b.vn', phone: '0905', ip: '10.0.0.1', username: 'a' } });
  expect(forReader(reader(Role.ADMIN, '1.2'), e).after).toEqual({ email: 'a@b.vn', phone: '0905', ip: '10.0.0.1', username: 'a' });
  expect(forReader(reader(Role.ADMIN, '1.5'), e).after).toEqual({ email: '[redacted]', phone: '[redacted]', ip: '[redacted]', username: 'a' });
  const national = row({ ...e, subjectGrantPaths: [null] });
  expect(forReader(reader(Role.ADMIN, '1'), national).after).toMatchObject({ email: '[redacted]' });
  expect(forReader(reader(Role.SYSTEM_ADMIN, null), national).after).toMatchObject({ email: 'a@b.vn' });
});

it('a team member\'s phone, before and after, only with readContact on its team', () => {
  const e = row({ objectType: 'TeamMember', unitPath: '1.2.3', before: { phone: '0911', teamId: 4 }, after: { phone: '0912', teamId: 4 } });
  expect(forReader(reader(Role.OFFICER, '1.2'), e).before).toEqual({ phone: '0911', teamId: 4 });
  expect(forReader(reader(Role.VIEWER, '1.2'), e)).toMatchObject({ before: { phone: '[redacted]' }, after: { phone: '[redacted]', teamId: 4 } });
});

it('any other entry holding personal data: only a SYSTEM_ADMIN', () => {
  const e = row({ objectType: 'Campaign', unitPath: '1.2', after: { contact: { phone: '0913' } } });
  expect(forReader(reader(Role.ADMIN, '1'), e).after).toEqual({ contact: { phone: '[redacted]' } });
  expect(forReader(reader(Role.SYSTEM_ADMIN, null), e).after).toEqual({ contact: { phone: '0913' } });
});
