namespace OkrKpi.Api.Features.Okrs;

public enum KeyResultType { Number, Percentage, Currency, Milestone }
