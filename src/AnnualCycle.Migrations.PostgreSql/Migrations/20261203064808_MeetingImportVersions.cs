using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class MeetingImportVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MeetingImportVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RestoresVersion = table.Column<int>(type: "integer", nullable: true),
                    ImportedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ImportedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    OnBehalfOfUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    MeetingsJson = table.Column<string>(type: "text", nullable: false),
                    MeetingCount = table.Column<int>(type: "integer", nullable: false),
                    MovedDates = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingImportVersions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MeetingImportVersions_OrganisationId_Year_Version",
                table: "MeetingImportVersions",
                columns: new[] { "OrganisationId", "Year", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeetingImportVersions");
        }
    }
}
