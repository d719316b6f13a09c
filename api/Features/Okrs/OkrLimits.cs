namespace OkrKpi.Api.Features.Okrs;

/// <summary>Bounds on OKR fields and on the whole-cycle reads, enforced by the validators and handlers that name them.</summary>
public static class OkrLimits
{
    public const int CycleNameMaxLength = 100;
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int UnitMaxLength = 32;
    public const int NoteMaxLength = 1000;
    public const int UrlMaxLength = 2000;
    public const int SearchMaxLength = 100;
    public const int MaxLinkedKpis = 20;
    public const int MaxCycleDays = 3660;
    public const decimal MaxWeight = 1000m;
    public const int MaxDecimalPlaces = 12;
    public const decimal MaxMagnitude = 1e26m;

    /// <summary>The whole-cycle reads (alignment, matrix, evaluation, health check) answer for cycles up to this size, unpaged.</summary>
    public const int MaxObjectivesPerCycleRead = 2000;

    /// <summary>The OKR–KPI matrix across cycles answers for up to this many cycles (three years of quarters) at once.</summary>
    public const int MaxCyclesPerMatrix = 12;
}
