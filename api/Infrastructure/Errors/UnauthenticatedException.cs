namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The credentials presented are not good (401); the message never says which part was wrong.</summary>
public sealed class UnauthenticatedException(string message) : Exception(message);
