using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnualCycle.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutboxRecipientIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_RecipientUserId_State",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_RecipientUserId",
                table: "OutboxMessages",
                column: "RecipientUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_RecipientUserId",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_RecipientUserId_State",
                table: "OutboxMessages",
                columns: new[] { "RecipientUserId", "State" });
        }
    }
}
