namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The client's If-Match names a version that is no longer current (412).</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);
