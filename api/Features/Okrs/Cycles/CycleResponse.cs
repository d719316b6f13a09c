namespace OkrKpi.Api.Features.Okrs;

/// <summary>A cycle as every cycle endpoint returns it. Dates are whole days in the organisation's time zone, both included.</summary>
public sealed record CycleResponse(Guid Id, string Name, DateOnly StartDate, DateOnly EndDate, CycleStatus Status, long Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
