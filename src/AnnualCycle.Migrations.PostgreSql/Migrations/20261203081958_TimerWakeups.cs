using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TimerWakeups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TimerWakeups",
                columns: table => new
                {
                    Second = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    JobId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimerWakeups", x => x.Second);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TimerWakeups");
        }
    }
}
