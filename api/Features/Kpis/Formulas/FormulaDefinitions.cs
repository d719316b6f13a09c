using System.Data.Common;
using Dapper;
using FluentValidation;
using FluentValidation.Results;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Kpis.Formulas;

/// <summary>
/// The rules of a KPI fed by a formula, as its definition is saved (create, replace, patch): the formula parses, names
/// known KPIs whose values roll up into its periods, keeps boolean KPIs to conditions and creates no cycle; the KPIs it
/// reads are kept in KpiInput. And the rule of the other side: a KPI that formulas read cannot be deleted or retired.
/// </summary>
internal static class FormulaDefinitions
{
    private const string KpisByKeySql = $"SELECT {KpiRow.Columns} FROM Kpi AS k WHERE k.KeyNormalized IN @Keys";

    private const string EdgesSql = "SELECT KpiId, InputKpiId FROM KpiInput";

    private const string DeleteInputsSql = "DELETE FROM KpiInput WHERE KpiId = @KpiId";

    private const string InsertInputSql = "INSERT INTO KpiInput (KpiId, InputKpiId) VALUES (@KpiId, @InputKpiId)";

    private const string KeysByIdSql = "SELECT Id, KpiKey FROM Kpi WHERE Id IN @Ids";

    private const string DependentKeysSql = """
        SELECT k.KpiKey FROM KpiInput AS i INNER JOIN Kpi AS k ON k.Id = i.KpiId
        WHERE i.InputKpiId = @Id ORDER BY k.KeyNormalized
        """;

    internal sealed class Edge
    {
        public Guid KpiId { get; init; }
        public Guid InputKpiId { get; init; }
    }

    /// <summary>
    /// The definition's formula and the KPIs it reads, or a 400 naming <c>formula</c> (or <c>fedBy</c>). A KPI fed by
    /// values has no inputs: its formula stays descriptive text.
    /// </summary>
    public static async Task<(KpiFormula? Formula, IReadOnlyList<KpiRow> Inputs)> CheckAsync(IKpiDefinition definition, Guid? kpiId,
        DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (definition.FedBy != KpiFedBy.Formula) return (null, []);
        var examined = await ExamineAsync(definition.Formula, definition.Key, kpiId, definition.Frequency, definition.ValueType, connection, transaction, ct);
        if (examined.Problem is { } problem) throw Invalid(problem.Message);
        return (examined.Formula, examined.Inputs);
    }

    /// <summary>What a formula says, as a KPI's definition would be checked (<see cref="CheckAsync"/>), without refusing it.</summary>
    /// <param name="key">The key of the KPI the formula is for: it may not read itself.</param>
    /// <param name="kpiId">That KPI's id when it exists, to find cycles through other formulas.</param>
    /// <param name="frequency">Its frequency, which every input must roll up into; null skips that check.</param>
    /// <param name="valueType">Its value type (a boolean KPI's formula is a condition); null skips that check.</param>
    /// <returns>
    /// The parsed formula and its inputs, or the first problem; <c>Keys</c> names the KPIs the text references even when it
    /// does not parse yet (from its braces), so a form can list them while the formula is typed.
    /// </returns>
    public static async Task<FormulaExamination> ExamineAsync(string? text, string? key, Guid? kpiId, KpiFrequency? frequency, KpiValueType? valueType,
        DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text))
            return new(null, [], [], [], new FormulaProblem("A KPI fed by a formula needs one, e.g. {signups} / {visitors} * 100.", null));
        // Positions count from the text as written: leading spaces are kept, trailing ones cannot hold an error.
        var (formula, problem) = KpiFormula.Parse(text.TrimEnd());
        var keys = formula?.Keys ?? KpiFormula.KeysInBraces(text);
        var found = keys.Count == 0 ? [] :
            (await connection.QueryAsync<KpiRow>(new CommandDefinition(KpisByKeySql, new { Keys = keys }, transaction, cancellationToken: ct))).ToList();
        var inputs = keys.Select(k => found.FirstOrDefault(row => row.KeyNormalized == k)).OfType<KpiRow>().ToList();
        FormulaProblem Problem(string message, string? at = null) => new(message, at is null ? null : KpiFormula.PositionOf(text, at));
        FormulaExamination Result(FormulaProblem? problem) => new(problem is null ? formula : null, problem is null ? inputs : [], keys, inputs, problem);

        if (problem is not null) return Result(problem);
        var self = string.IsNullOrWhiteSpace(key) ? null : KpiDefinition.NormalizeKey(key);
        if ((self is not null && formula!.Keys.Contains(self)) || (kpiId is { } id && inputs.Any(k => k.Id == id)))
            return Result(Problem($"The formula reads KPI '{key!.Trim()}' itself: a cycle.", self));
        var unknown = formula!.Keys.Where(k => inputs.All(input => input.KeyNormalized != k)).ToList();
        if (unknown.Count > 0)
            return Result(Problem($"The formula names {(unknown.Count == 1 ? "a KPI" : "KPIs")} that {(unknown.Count == 1 ? "does" : "do")} not exist: {string.Join(", ", unknown)}.", unknown[0]));
        if (frequency is { } computedFrequency)
            foreach (var input in inputs)
                if (!KpiRollUp.Nests(input.Frequency, computedFrequency))
                    return Result(Problem($"KPI '{input.KpiKey}' is {Name(input.Frequency)}: its periods do not fit into {Name(computedFrequency)} periods " +
                        $"(a {Name(input.Frequency)} KPI rolls up into {KpiRollUp.NestsIn(input.Frequency)}).", input.KeyNormalized));
        if (valueType is { } resultType && formula.TypeProblem(k => inputs.First(input => input.KeyNormalized == k).ValueType, resultType) is { } typeProblem)
            return Result(Problem(typeProblem));
        if (kpiId is { } computed && await CycleAsync(computed, inputs, connection, transaction, ct) is { } path)
            return Result(Problem($"The formula would create a cycle: {key!.Trim()} → {path}."));
        return Result(null);
    }

    /// <summary>Records the KPIs a formula reads (none for a KPI fed by values), replacing those it read before (<paramref name="hadInputs"/>).</summary>
    public static async Task SaveInputsAsync(Guid kpiId, IReadOnlyList<KpiRow> inputs, bool hadInputs, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (hadInputs)
            await connection.ExecuteAsync(new CommandDefinition(DeleteInputsSql, new { KpiId = kpiId }, transaction, cancellationToken: ct));
        if (inputs.Count > 0)
            await connection.ExecuteAsync(new CommandDefinition(InsertInputSql, inputs.Select(i => new { KpiId = kpiId, InputKpiId = i.Id }), transaction, cancellationToken: ct));
    }

    /// <summary>A 409 listing the computed KPIs that read <paramref name="kpi"/>, when there are any and it is to be <paramref name="doing"/>.</summary>
    public static async Task EnsureUnusedAsync(KpiRow kpi, string doing, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (!kpi.FeedsOthers) return;
        var dependents = (await connection.QueryAsync<string>(new CommandDefinition(DependentKeysSql, new { kpi.Id }, transaction, cancellationToken: ct))).ToList();
        throw new ConflictException($"KPI '{kpi.KpiKey}' cannot be {doing}: the formulas of {string.Join(", ", dependents)} read it. Change those formulas first.");
    }

    public static async Task<IReadOnlyList<Edge>> EdgesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct) =>
        (await connection.QueryAsync<Edge>(new CommandDefinition(EdgesSql, transaction: transaction, cancellationToken: ct))).ToList();

    /// <summary>The path from one of the inputs back to <paramref name="computed"/> through other formulas, if there is one.</summary>
    private static async Task<string?> CycleAsync(Guid computed, IReadOnlyList<KpiRow> inputs, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        var edges = (await EdgesAsync(connection, transaction, ct)).ToLookup(e => e.KpiId, e => e.InputKpiId);
        foreach (var input in inputs)
        {
            var path = new List<Guid>();
            if (Reaches(input.Id, computed, edges, path, []))
            {
                var keys = await connection.QueryAsync<KeyRow>(new CommandDefinition(KeysByIdSql,
                    new { Ids = path.Select(p => p.ToString("D")).ToList() }, transaction, cancellationToken: ct));
                var byId = keys.ToDictionary(k => k.Id, k => k.KpiKey);
                return string.Join(" → ", path.Select(id => byId.GetValueOrDefault(id, id.ToString())));
            }
        }
        return null;
    }

    private sealed class KeyRow
    {
        public Guid Id { get; init; }
        public string KpiKey { get; init; } = "";
    }

    private static bool Reaches(Guid from, Guid target, ILookup<Guid, Guid> edges, List<Guid> path, HashSet<Guid> seen)
    {
        path.Add(from);
        if (from == target) return true;
        if (seen.Add(from))
            foreach (var next in edges[from])
                if (Reaches(next, target, edges, path, seen)) return true;
        path.RemoveAt(path.Count - 1);
        return false;
    }

    private static string Name(KpiFrequency frequency) => frequency.ToString().ToLowerInvariant();

    private static ValidationException Invalid(string reason) => new([new ValidationFailure("formula", reason)]);
}

/// <summary>
/// A formula as <see cref="FormulaDefinitions.ExamineAsync"/> found it: <c>Formula</c> and <c>Inputs</c> when it may be
/// saved, else <c>Problem</c>; <c>Keys</c> are the KPIs it references and <c>Found</c> those of them that exist.
/// </summary>
internal sealed record FormulaExamination(KpiFormula? Formula, IReadOnlyList<KpiRow> Inputs, IReadOnlyList<string> Keys, IReadOnlyList<KpiRow> Found, FormulaProblem? Problem);
