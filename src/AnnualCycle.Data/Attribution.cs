namespace AnnualCycle.Data;

/// <summary>
/// Who did something, on whose behalf and when, as a row records the act that wrote it (an upload, a saved import, an
/// approver's decision): <see cref="UserId"/> is the person who acted, <see cref="OnBehalfOfUserId"/> the principal an
/// ersättare acted for (null when in their own right), <see cref="AtUtc"/> the engine's clock at the act.
/// </summary>
public readonly record struct Attribution(string UserId, string? OnBehalfOfUserId, DateTime AtUtc);
