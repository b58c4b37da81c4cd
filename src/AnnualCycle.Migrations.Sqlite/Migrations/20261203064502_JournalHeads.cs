using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class JournalHeads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Meetings");

            migrationBuilder.CreateTable(
                name: "JournalHeads",
                columns: table => new
                {
                    CycleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntryCount = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JournalHeads", x => x.CycleId);
                });

            // A journal written before heads existed gets its heads from what it holds now (the whole journal under the
            // empty id, each cycle under its own), so verify-journal vouches for it from here on.
            migrationBuilder.Sql("""
                INSERT INTO "JournalHeads" ("CycleId", "EntryCount", "LastSequence", "LastHash")
                SELECT '00000000-0000-0000-0000-000000000000', h.n, h.last, j."Hash"
                FROM (SELECT COUNT(*) AS n, MAX("Sequence") AS last FROM "Journal") h
                JOIN "Journal" j ON j."Sequence" = h.last;
                INSERT INTO "JournalHeads" ("CycleId", "EntryCount", "LastSequence", "LastHash")
                SELECT h."CycleId", h.n, h.last, j."Hash"
                FROM (SELECT "CycleId", COUNT(*) AS n, MAX("Sequence") AS last FROM "Journal" WHERE "CycleId" IS NOT NULL GROUP BY "CycleId") h
                JOIN "Journal" j ON j."Sequence" = h.last;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JournalHeads");

            migrationBuilder.CreateTable(
                name: "Meetings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BodyId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrganisationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartsAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Meetings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_OrganisationId_BodyId_StartsAtUtc",
                table: "Meetings",
                columns: new[] { "OrganisationId", "BodyId", "StartsAtUtc" });
        }
    }
}
