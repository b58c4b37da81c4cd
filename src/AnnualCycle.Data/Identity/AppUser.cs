using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Data.Identity;

/// <summary>A person who signs in. Roles are <see cref="RoleGrantEntity"/> rows scoped to a body, not Identity roles.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>"sv" (default) or "en": language of the UI and of emails.</summary>
    public string Language { get; set; } = "sv";

    /// <summary>Immediate emails, or one weekly digest (overdue notices and escalations are always immediate).</summary>
    public EmailDelivery EmailDelivery { get; set; } = EmailDelivery.Immediate;
}

/// <summary>How a user wants the emails about steps.</summary>
public enum EmailDelivery
{
    Immediate,
    WeeklyDigest,
}
