using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedNetPortal.FhirBase.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "index_date",
                columns: table => new
                {
                    Key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", nullable: false),
                    Param = table.Column<string>(type: "TEXT", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    End = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_date", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "index_reference",
                columns: table => new
                {
                    Key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", nullable: false),
                    Param = table.Column<string>(type: "TEXT", nullable: false),
                    TargetType = table.Column<string>(type: "TEXT", nullable: false),
                    TargetId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_reference", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "index_string",
                columns: table => new
                {
                    Key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", nullable: false),
                    Param = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_string", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "index_token",
                columns: table => new
                {
                    Key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", nullable: false),
                    Param = table.Column<string>(type: "TEXT", nullable: false),
                    System = table.Column<string>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_token", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "resource_versions",
                columns: table => new
                {
                    ResourceSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastUpdated = table.Column<long>(type: "INTEGER", nullable: false),
                    Deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_versions", x => new { x.ResourceSeq, x.VersionId });
                });

            migrationBuilder.CreateTable(
                name: "resources",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUpdated = table.Column<long>(type: "INTEGER", nullable: false),
                    Deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resources", x => x.Seq);
                });

            migrationBuilder.CreateIndex(
                name: "IX_index_date_ResourceSeq_Param",
                table: "index_date",
                columns: new[] { "ResourceSeq", "Param" });

            migrationBuilder.CreateIndex(
                name: "IX_index_date_ResourceType_Param_Start",
                table: "index_date",
                columns: new[] { "ResourceType", "Param", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_index_reference_ResourceSeq_Param",
                table: "index_reference",
                columns: new[] { "ResourceSeq", "Param" });

            migrationBuilder.CreateIndex(
                name: "IX_index_reference_ResourceType_Param_TargetId_TargetType",
                table: "index_reference",
                columns: new[] { "ResourceType", "Param", "TargetId", "TargetType" });

            migrationBuilder.CreateIndex(
                name: "IX_index_string_ResourceSeq",
                table: "index_string",
                column: "ResourceSeq");

            migrationBuilder.CreateIndex(
                name: "IX_index_string_ResourceType_Param_Value",
                table: "index_string",
                columns: new[] { "ResourceType", "Param", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_index_token_ResourceSeq",
                table: "index_token",
                column: "ResourceSeq");

            migrationBuilder.CreateIndex(
                name: "IX_index_token_ResourceType_Param_Code_System",
                table: "index_token",
                columns: new[] { "ResourceType", "Param", "Code", "System" });

            migrationBuilder.CreateIndex(
                name: "IX_resource_versions_LastUpdated",
                table: "resource_versions",
                column: "LastUpdated");

            migrationBuilder.CreateIndex(
                name: "IX_resource_versions_Type_LastUpdated",
                table: "resource_versions",
                columns: new[] { "Type", "LastUpdated" });

            migrationBuilder.CreateIndex(
                name: "IX_resources_Type_Id",
                table: "resources",
                columns: new[] { "Type", "Id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_resources_Type_LastUpdated",
                table: "resources",
                columns: new[] { "Type", "LastUpdated" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "index_date");

            migrationBuilder.DropTable(
                name: "index_reference");

            migrationBuilder.DropTable(
                name: "index_string");

            migrationBuilder.DropTable(
                name: "index_token");

            migrationBuilder.DropTable(
                name: "resource_versions");

            migrationBuilder.DropTable(
                name: "resources");
        }
    }
}
