namespace OkrKpi.Api.Features.Okrs;

/// <summary>Implied by the values: a target above the start means increase, below it decrease.</summary>
public enum KeyResultDirection { Increase, Decrease }
