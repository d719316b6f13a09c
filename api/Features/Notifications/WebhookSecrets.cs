using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// Signing secrets in the Standard Webhooks form (<c>whsec_</c> + base64 of 32 random bytes). They are stored only as
/// Data Protection ciphertext (the key ring is in the database, so every instance can read them) and shown once, in
/// the answer that creates or rotates them.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("OkrKpi.Webhooks.Secret.v1");

    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
