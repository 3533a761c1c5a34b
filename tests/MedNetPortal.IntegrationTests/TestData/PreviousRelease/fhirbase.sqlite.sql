-- The fhirbase database's schema as release 9717127 (the last before migrations) created it with EnsureCreated on sqlite.
-- Produced from that commit's model by DbContext.Database.GenerateCreateScript() (EF Core 10.0.14); see PreviousReleaseUpgradeTests.

CREATE TABLE "index_date" (
    "Key" INTEGER NOT NULL CONSTRAINT "PK_index_date" PRIMARY KEY AUTOINCREMENT,
    "ResourceSeq" INTEGER NOT NULL,
    "ResourceType" TEXT NOT NULL,
    "Param" TEXT NOT NULL,
    "Start" INTEGER NOT NULL,
    "End" INTEGER NOT NULL
);


CREATE TABLE "index_reference" (
    "Key" INTEGER NOT NULL CONSTRAINT "PK_index_reference" PRIMARY KEY AUTOINCREMENT,
    "ResourceSeq" INTEGER NOT NULL,
    "ResourceType" TEXT NOT NULL,
    "Param" TEXT NOT NULL,
    "TargetType" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL
);


CREATE TABLE "index_string" (
    "Key" INTEGER NOT NULL CONSTRAINT "PK_index_string" PRIMARY KEY AUTOINCREMENT,
    "ResourceSeq" INTEGER NOT NULL,
    "ResourceType" TEXT NOT NULL,
    "Param" TEXT NOT NULL,
    "Value" TEXT NOT NULL
);


CREATE TABLE "index_token" (
    "Key" INTEGER NOT NULL CONSTRAINT "PK_index_token" PRIMARY KEY AUTOINCREMENT,
    "ResourceSeq" INTEGER NOT NULL,
    "ResourceType" TEXT NOT NULL,
    "Param" TEXT NOT NULL,
    "System" TEXT NOT NULL,
    "Code" TEXT NOT NULL
);


CREATE TABLE "resource_versions" (
    "ResourceSeq" INTEGER NOT NULL,
    "VersionId" INTEGER NOT NULL,
    "Type" TEXT NOT NULL,
    "Id" TEXT NULL,
    "LastUpdated" INTEGER NOT NULL,
    "Deleted" INTEGER NOT NULL,
    "Method" TEXT NOT NULL,
    "Json" TEXT NULL,
    CONSTRAINT "PK_resource_versions" PRIMARY KEY ("ResourceSeq", "VersionId")
);


CREATE TABLE "resources" (
    "Seq" INTEGER NOT NULL CONSTRAINT "PK_resources" PRIMARY KEY AUTOINCREMENT,
    "Type" TEXT NOT NULL,
    "Id" TEXT NULL,
    "VersionId" INTEGER NOT NULL,
    "LastUpdated" INTEGER NOT NULL,
    "Deleted" INTEGER NOT NULL,
    "Json" TEXT NULL
);


CREATE INDEX "IX_index_date_ResourceSeq_Param" ON "index_date" ("ResourceSeq", "Param");


CREATE INDEX "IX_index_date_ResourceType_Param_Start" ON "index_date" ("ResourceType", "Param", "Start");


CREATE INDEX "IX_index_reference_ResourceSeq_Param" ON "index_reference" ("ResourceSeq", "Param");


CREATE INDEX "IX_index_reference_ResourceType_Param_TargetId_TargetType" ON "index_reference" ("ResourceType", "Param", "TargetId", "TargetType");


CREATE INDEX "IX_index_string_ResourceSeq" ON "index_string" ("ResourceSeq");


CREATE INDEX "IX_index_string_ResourceType_Param_Value" ON "index_string" ("ResourceType", "Param", "Value");


CREATE INDEX "IX_index_token_ResourceSeq" ON "index_token" ("ResourceSeq");


CREATE INDEX "IX_index_token_ResourceType_Param_Code_System" ON "index_token" ("ResourceType", "Param", "Code", "System");


CREATE INDEX "IX_resource_versions_LastUpdated" ON "resource_versions" ("LastUpdated");


CREATE INDEX "IX_resource_versions_Type_LastUpdated" ON "resource_versions" ("Type", "LastUpdated");


CREATE UNIQUE INDEX "IX_resources_Type_Id" ON "resources" ("Type", "Id");


CREATE INDEX "IX_resources_Type_LastUpdated" ON "resources" ("Type", "LastUpdated");


