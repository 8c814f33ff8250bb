import { z } from 'zod';
import { PERMISSIONS, ROLES, TOKEN_SCOPES } from '../access';
import {
  currencySchema,
  emailSchema,
  instantSchema,
  localeSchema,
  pageOf,
  pageQuerySchema,
  timeZoneSchema,
  uuidSchema,
} from './common';

export const roleSchema = z.enum(ROLES);
export const permissionSchema = z.enum(PERMISSIONS);
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);

export const slugSchema = z
  .string()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'Lowercase letters, digits and inner hyphens only');

/** At least 10 characters: long beats clever for passwords. */
export const passwordSchema = z.string().min(10, 'At least 10 characters').max(200);
export const personNameSchema = z.string().trim().min(1).max(100);

export const organizationSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  slug: z.string(),
  baseCurrency: z.string(),
  timezone: z.string(),
  locale: localeSchema,
  createdAt: instantSchema,
});
export type Organization = z.infer<typeof organizationSchema>;

export const userSchema = z.object({
  id: uuidSchema,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  teamId: uuidSchema.nullable(),
  locale: localeSchema.nullable(),
  isActive: z.boolean(),
  createdAt: instantSchema,
  lastLoginAt: instantSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;

export const signupRequestSchema = z.object({
  organizationName: z.string().trim().min(1).max(200),
  slug: slugSchema,
  baseCurrency: currencySchema.default('CNY'),
  timezone: timeZoneSchema.default('Asia/Shanghai'),
  locale: localeSchema.default('zh-CN'),
  adminName: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignupRequest = z.input<typeof signupRequestSchema>;

export const loginRequestSchema = z.object({
  organizationSlug: slugSchema,
  email: emailSchema,
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.input<typeof loginRequestSchema>;

export const recordScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('team'), teamIds: z.array(uuidSchema).readonly(), userId: uuidSchema }),
  z.object({ kind: z.literal('own'), userId: uuidSchema }),
]);

/** Who is asking: returned by sign-up, sign-in and GET /api/auth/session. */
export const sessionResponseSchema = z.object({
  user: userSchema,
  organization: organizationSchema,
  permissions: z.array(permissionSchema),
  /** Which customer records this user sees (all, their teams', or their own). */
  recordScope: recordScopeSchema,
  /** Sent back in the X-CSRF-Token header on every state-changing request. */
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

export const updateProfileRequestSchema = z.object({
  name: personNameSchema.optional(),
  locale: localeSchema.nullable().optional(),
});

export const updateOrganizationRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: timeZoneSchema.optional(),
  locale: localeSchema.optional(),
  baseCurrency: currencySchema.optional(),
});

export const updateUserRequestSchema = z.object({
  name: personNameSchema.optional(),
  role: roleSchema.optional(),
  teamId: uuidSchema.nullable().optional(),
  isActive: z.boolean().optional(),
});

export const userListQuerySchema = pageQuerySchema.extend({
  search: z.string().max(100).optional(),
  role: roleSchema.optional(),
  teamId: uuidSchema.optional(),
});
export const userPageSchema = pageOf(userSchema);

export const invitationSchema = z.object({
  id: uuidSchema,
  email: z.string(),
  role: roleSchema,
  teamId: uuidSchema.nullable(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  invitedByUserId: uuidSchema,
  expiresAt: instantSchema,
  createdAt: instantSchema,
});
export type Invitation = z.infer<typeof invitationSchema>;

export const createInvitationRequestSchema = z.object({
  email: emailSchema,
  role: roleSchema,
  teamId: uuidSchema.nullable().optional(),
});
/** The token is shown once, to the inviter, as a link to pass on. */
export const createInvitationResponseSchema = z.object({
  invitation: invitationSchema,
  token: z.string(),
  acceptPath: z.string(),
});

export const invitationPreviewSchema = z.object({
  organizationName: z.string(),
  email: z.string(),
  role: roleSchema,
});
export const acceptInvitationRequestSchema = z.object({
  name: personNameSchema,
  password: passwordSchema,
});

export const teamSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  parentId: uuidSchema.nullable(),
  managerUserId: uuidSchema.nullable(),
  memberCount: z.number().int(),
  createdAt: instantSchema,
});
export type Team = z.infer<typeof teamSchema>;
export const createTeamRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  parentId: uuidSchema.nullable().optional(),
  managerUserId: uuidSchema.nullable().optional(),
});
export const updateTeamRequestSchema = createTeamRequestSchema.partial();

export const apiTokenSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  scopes: z.array(tokenScopeSchema),
  prefix: z.string(),
  createdByUserId: uuidSchema,
  expiresAt: instantSchema.nullable(),
  lastUsedAt: instantSchema.nullable(),
  revokedAt: instantSchema.nullable(),
  createdAt: instantSchema,
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const createApiTokenRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(tokenScopeSchema).min(1),
  expiresAt: instantSchema.nullable().optional(),
});
/** The secret is shown once; only its hash is stored. */
export const createApiTokenResponseSchema = z.object({ token: apiTokenSchema, secret: z.string() });

export const auditEntrySchema = z.object({
  id: z.string(),
  at: instantSchema,
  actorUserId: uuidSchema.nullable(),
  actorName: z.string().nullable(),
  actorTokenId: uuidSchema.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditQuerySchema = pageQuerySchema.extend({
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  actorUserId: uuidSchema.optional(),
  action: z.string().max(60).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
});
export const auditPageSchema = pageOf(auditEntrySchema);

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  version: z.string(),
});
