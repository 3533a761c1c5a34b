-- The portal database's schema as release 9717127 (the last before migrations) created it with EnsureCreated on sqlite.
-- Produced from that commit's model by DbContext.Database.GenerateCreateScript() (EF Core 10.0.14); see PreviousReleaseUpgradeTests.

CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);


CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "DisplayNameKana" TEXT NULL,
    "FacilityCode" TEXT NULL,
    "FacilityName" TEXT NULL,
    "Profession" TEXT NOT NULL,
    "IsSuspended" INTEGER NOT NULL,
    "LastSignInAt" TEXT NULL,
    "EntraObjectId" TEXT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);


CREATE TABLE "AuditEntries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY AUTOINCREMENT,
    "RecordedAtUtc" TEXT NOT NULL,
    "ActorUserId" TEXT NULL,
    "ActorName" TEXT NULL,
    "FacilityCode" TEXT NULL,
    "Roles" TEXT NULL,
    "Action" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL,
    "PatientId" TEXT NULL,
    "LookupKeyHash" TEXT NULL,
    "Detail" TEXT NULL,
    "Emergency" INTEGER NOT NULL,
    "ClientAddress" TEXT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    "ForwardedAtUtc" TEXT NULL,
    "ForwardAttempts" INTEGER NOT NULL
);


CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NULL
);


CREATE TABLE "EmergencyAccessGrants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_EmergencyAccessGrants" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "FacilityCode" TEXT NOT NULL,
    "PatientId" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "ReasonText" TEXT NULL,
    "StartUtc" TEXT NOT NULL,
    "EndUtc" TEXT NOT NULL
);


CREATE TABLE "PortalFacilities" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_PortalFacilities" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "NameKana" TEXT NULL,
    "HasEhr" INTEGER NOT NULL,
    "AcceptsElectronicLetters" INTEGER NOT NULL,
    "IsEmergencyHospital" INTEGER NOT NULL,
    "Active" INTEGER NOT NULL,
    "PostalCode" TEXT NULL,
    "Address" TEXT NULL,
    "Phone" TEXT NULL,
    "DepartmentsJson" TEXT NULL,
    "MirrorPending" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);


CREATE TABLE "PortalNotifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PortalNotifications" PRIMARY KEY,
    "FacilityCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ActorUserId" TEXT NULL,
    "ActorName" TEXT NULL,
    "PatientId" TEXT NULL,
    "Reason" TEXT NULL,
    "ReasonText" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "EndsUtc" TEXT NULL,
    "ReadUtc" TEXT NULL
);


CREATE TABLE "ReferralDrafts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ReferralDrafts" PRIMARY KEY,
    "FacilityCode" TEXT NOT NULL,
    "AuthorUserId" TEXT NOT NULL,
    "AuthorName" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "FormJson" TEXT NOT NULL,
    "PatientDisplayName" TEXT NULL,
    "DestinationName" TEXT NULL,
    "LocalId" TEXT NOT NULL,
    "IssuedAt" TEXT NULL,
    "SentBundleId" TEXT NULL,
    "BundleIdentifier" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
);


CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");


CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");


CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");


CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");


CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");


CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");


CREATE UNIQUE INDEX "IX_AspNetUsers_EntraObjectId" ON "AspNetUsers" ("EntraObjectId");


CREATE INDEX "IX_AspNetUsers_FacilityCode" ON "AspNetUsers" ("FacilityCode");


CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");


CREATE INDEX "IX_AuditEntries_ForwardedAtUtc" ON "AuditEntries" ("ForwardedAtUtc");


CREATE INDEX "IX_AuditEntries_PatientId_RecordedAtUtc" ON "AuditEntries" ("PatientId", "RecordedAtUtc");


CREATE INDEX "IX_AuditEntries_RecordedAtUtc" ON "AuditEntries" ("RecordedAtUtc");


CREATE INDEX "IX_EmergencyAccessGrants_UserId_PatientId_EndUtc" ON "EmergencyAccessGrants" ("UserId", "PatientId", "EndUtc");


CREATE INDEX "IX_PortalNotifications_FacilityCode_CreatedUtc" ON "PortalNotifications" ("FacilityCode", "CreatedUtc");


CREATE INDEX "IX_ReferralDrafts_FacilityCode_Status_UpdatedAt" ON "ReferralDrafts" ("FacilityCode", "Status", "UpdatedAt");


CREATE UNIQUE INDEX "IX_ReferralDrafts_LocalId" ON "ReferralDrafts" ("LocalId");


