using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RestoresVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    ImportedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ImportedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    OnBehalfOfUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    MeetingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    MeetingCount = table.Column<int>(type: "INTEGER", nullable: false),
                    MovedDates = table.Column<int>(type: "INTEGER", nullable: false)
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
