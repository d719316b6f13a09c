namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>Well-formed, but refused as a whole, e.g. an Idempotency-Key reused for another request (422).</summary>
public sealed class UnprocessableException(string message) : Exception(message);
