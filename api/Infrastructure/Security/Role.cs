namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>What a person may do (docs/security.md): viewers read, editors write what their teams own, admins anything.</summary>
public enum Role
{
    Viewer,
    Editor,
    Admin,
}
