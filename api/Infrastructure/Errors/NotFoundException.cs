namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The resource named by the request's URL does not exist (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);
