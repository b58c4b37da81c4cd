using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class MeetingDecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "MeetingDate",
                table: "StepInstances",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Paragraph",
                table: "StepInstances",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "MeetingDate",
                table: "Approvals",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Paragraph",
                table: "Approvals",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MeetingDate",
                table: "StepInstances");

            migrationBuilder.DropColumn(
                name: "Paragraph",
                table: "StepInstances");

            migrationBuilder.DropColumn(
                name: "MeetingDate",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "Paragraph",
                table: "Approvals");
        }
    }
}
