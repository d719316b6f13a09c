namespace OkrKpi.Api.Features.Okrs;

/// <summary>A dated update of a key result: the value reached, how confident the owner is (0–10), and a note.</summary>
public sealed record CheckInResponse(Guid Id, Guid KeyResultId, long Sequence, decimal Value, int? Confidence, string? Note,
    Guid? AuthorId, string Author, DateTimeOffset CreatedAt);
