namespace OkrKpi.Api.Features.Okrs;

public enum ObjectiveStatus { Draft, Active, Closed, Archived }
