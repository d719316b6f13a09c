namespace OkrKpi.Api.Infrastructure.Errors;

/// <summary>The caller is known but may not do this (403); the message says which permission or ownership is missing.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
