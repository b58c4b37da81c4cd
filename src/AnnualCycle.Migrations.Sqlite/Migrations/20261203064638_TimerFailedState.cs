using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TimerFailedState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "Timers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "Timers",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RetryAtUtc",
                table: "Timers",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "Timers");

            migrationBuilder.DropColumn(
                name: "LastError",
                table: "Timers");

            migrationBuilder.DropColumn(
                name: "RetryAtUtc",
                table: "Timers");
        }
    }
}
