namespace OkrKpi.Api.Features.Okrs;

public enum InitiativeStatus { Planned, InProgress, Done, Dropped }
