namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>A body in a media type or charset the endpoint does not read (415); the message says what to send instead.</summary>
public sealed class UnsupportedMediaTypeException(string message) : Exception(message);
