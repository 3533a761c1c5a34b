using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedNetPortal.Web.Host.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ServerSessionsAndForwardingState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConsentReason",
                table: "PortalNotifications",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ForwardError",
                table: "AuditEntries",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ForwardRejectedAtUtc",
                table: "AuditEntries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PortalSessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalSessions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PortalSessions_LastSeenUtc",
                table: "PortalSessions",
                column: "LastSeenUtc");

            migrationBuilder.CreateIndex(
                name: "IX_PortalSessions_UserId",
                table: "PortalSessions",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PortalSessions");

            migrationBuilder.DropColumn(
                name: "ConsentReason",
                table: "PortalNotifications");

            migrationBuilder.DropColumn(
                name: "ForwardError",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "ForwardRejectedAtUtc",
                table: "AuditEntries");
        }
    }
}
