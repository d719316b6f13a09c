namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The request is valid but clashes with the current state of the data (409).</summary>
public sealed class ConflictException(string message) : Exception(message);
