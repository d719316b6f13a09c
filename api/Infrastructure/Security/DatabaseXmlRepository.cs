using System.Data.Common;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// Keeps the Data Protection key ring in the database, so every instance reads and writes the same keys and
/// accepts the antiforgery tokens of the others. The keys are stored unencrypted: they protect only antiforgery
/// tokens, which are bound to a session whose id the database never holds in clear.
/// </summary>
public sealed class DatabaseXmlRepository(DbDataSource db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenConnection();
        return connection.Query<string>("SELECT Xml FROM DataProtectionKey").Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenConnection();
        connection.Execute("INSERT INTO DataProtectionKey (FriendlyName, Xml) VALUES (@FriendlyName, @Xml)",
            new { FriendlyName = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString() : friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
