namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>An update arrived without If-Match, so it could silently overwrite someone else's edit (428).</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);
