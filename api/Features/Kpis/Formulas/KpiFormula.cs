using System.Globalization;
using System.Text.RegularExpressions;
using NCalc;
using NCalc.Exceptions;

namespace OkrKpi.Api.Features.Kpis.Formulas;

/// <summary>
/// A computed KPI's formula, parsed by NCalc (its Parlot-based parser, numbers read as decimals) and checked against
/// the language the README documents: KPI references in braces, <c>+ - * /</c>, parentheses, unary minus,
/// comparisons, <c>and</c>/<c>or</c>/<c>not</c>, and the functions below. Anything else NCalc would accept (strings,
/// dates, bitwise operators, its other functions) is refused, so the language stays the documented one.
/// </summary>
internal sealed partial class KpiFormula
{
    /// <summary>Most distinct KPIs one formula may read.</summary>
    public const int MaxInputs = 20;

    /// <summary>Furthest back a formula may look: <c>previous({k}, n)</c>, <c>sum({k}, n)</c> and <c>average({k}, n)</c> take n up to this.</summary>
    public const int MaxPeriodsBack = 400;

    /// <summary>Most decimal places <c>round(x, digits)</c> takes (the decimal type's).</summary>
    public const int MaxRoundDigits = 28;

    public static readonly IReadOnlyList<string> Functions = ["previous", "sum", "average", "min", "max", "abs", "round", "if"];

    private static readonly LogicalExpressionParserOptions Options = new()
    {
        FloatingPointNumberType = FloatingPointNumberType.Decimal,
        IntegerNumberType = IntegerNumberType.Int64,
    };

    private KpiFormula(string text, LogicalExpression expression, IReadOnlyList<string> keys, int periodsBack)
    {
        Text = text;
        Expression = expression;
        Keys = keys;
        PeriodsBack = periodsBack;
    }

    public string Text { get; }
    public LogicalExpression Expression { get; }

    /// <summary>The normalised keys of the KPIs the formula reads, in order of first appearance.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>How many periods before the computed one the formula reads (0: only the period itself).</summary>
    public int PeriodsBack { get; }

    /// <summary>The formula, or why it is not one: a syntax error with the 1-based character where it was found, or a use the language does not have.</summary>
    public static (KpiFormula? Formula, FormulaProblem? Problem) Parse(string text)
    {
        LogicalExpression expression;
        try
        {
            expression = LogicalExpressionParser.Parse(text, Options, CultureInfo.InvariantCulture, CancellationToken.None);
        }
        catch (Exception e) when (e is NCalcException or InvalidOperationException or FormatException or OverflowException)
        {
            var position = Position(text, e.Message);
            var reason = PositionSuffix().Replace(e.Message, "").TrimEnd('.', ' ');
            return (null, new FormulaProblem(position is null
                ? $"The formula does not parse: {reason}."
                : $"The formula does not parse at character {position}: {reason}.", position));
        }

        var shape = new ShapeCheck();
        if (shape.Problem(expression) is { } problem) return (null, new FormulaProblem(problem, null));
        if (shape.Keys.Count == 0) return (null, new FormulaProblem("The formula names no KPI: reference one by key in braces, e.g. {visitors}.", null));
        if (shape.Keys.Count > MaxInputs) return (null, new FormulaProblem($"The formula reads {shape.Keys.Count} KPIs; at most {MaxInputs} are allowed.", null));
        return (new KpiFormula(text, expression, shape.Keys, shape.PeriodsBack), null);
    }

    /// <summary>
    /// Why the formula cannot give a value of <paramref name="resultType"/> when its inputs have the value types
    /// <paramref name="typeOf"/> tells (a boolean KPI is a condition, never a number), or null.
    /// </summary>
    public string? TypeProblem(Func<string, KpiValueType> typeOf, KpiValueType resultType)
    {
        var check = new TypeCheck(typeOf);
        var (kind, problem) = check.Kind(Expression);
        if (problem is not null) return problem;
        if (resultType == KpiValueType.Boolean && kind != FormulaKind.Condition)
            return "A boolean KPI's formula must be a condition, e.g. {errors} = 0.";
        if (resultType != KpiValueType.Boolean && kind != FormulaKind.Number)
            return "The formula is a condition (true or false); wrap it in if(condition, a, b) to give a number, or make the KPI boolean.";
        return null;
    }

    /// <summary>"Parenthesis not closed. at position (1:9)" in a one-line formula is character 9; a later line counts the lines before it.</summary>
    private static int? Position(string text, string message)
    {
        var match = PositionSuffix().Match(message);
        if (!match.Success) return null;
        var line = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var column = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            var newline = text.IndexOf('\n', offset);
            if (newline < 0) break;
            offset = newline + 1;
        }
        return offset + column;
    }

    /// <summary>
    /// The keys in braces of a text that does not parse (yet), in order of first appearance: what a formula still being
    /// typed references. A parsed formula's <see cref="Keys"/> come from its expression instead.
    /// </summary>
    public static IReadOnlyList<string> KeysInBraces(string text) =>
        Braces().Matches(text).Select(m => KpiDefinition.NormalizeKey(m.Groups[1].Value)).Where(k => k.Length > 0).Distinct().Take(MaxInputs).ToList();

    /// <summary>The 1-based character where <paramref name="text"/> first references <paramref name="key"/> in braces, if it does.</summary>
    public static int? PositionOf(string text, string key) =>
        Braces().Matches(text).FirstOrDefault(m => KpiDefinition.NormalizeKey(m.Groups[1].Value) == key) is { } match ? match.Index + 1 : null;

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\s*at position \((\d+):(\d+)\)")]
    private static partial Regex PositionSuffix();

    internal static string FunctionName(Function function) => function.Identifier.Name.ToLowerInvariant();

    internal static string KeyOf(Identifier identifier) => KpiDefinition.NormalizeKey(identifier.Name);

    /// <summary>A whole number argument (n, digits) written as a literal.</summary>
    internal static int? WholeNumber(LogicalExpression argument) => argument is ValueExpression { Value: long or int or decimal } value
        && Convert.ToDecimal(value.Value, CultureInfo.InvariantCulture) is var number && number == decimal.Truncate(number) && number is >= 0 and <= int.MaxValue
            ? (int)number
            : null;

    /// <summary>The language's shape, independent of the KPIs named: allowed operators and functions, their arguments, and the KPIs read.</summary>
    private sealed class ShapeCheck
    {
        private readonly List<string> _keys = [];
        public IReadOnlyList<string> Keys => _keys;
        public int PeriodsBack { get; private set; }

        public string? Problem(LogicalExpression expression) => expression switch
        {
            ValueExpression { Value: long or int or decimal or bool } => null,
            ValueExpression { Value: double } => null,
            ValueExpression value => $"The formula may hold numbers, true and false, and KPI references in braces; {Describe(value)} is not one of them.",
            Identifier identifier => Reference(identifier),
            UnaryExpression { Type: UnaryExpressionType.Negate or UnaryExpressionType.Not or UnaryExpressionType.Positive } unary => Problem(unary.Expression),
            UnaryExpression unary => $"The operator {unary.Type} is not part of the formula language.",
            BinaryExpression binary when Allowed(binary.Type) => Problem(binary.LeftExpression) ?? Problem(binary.RightExpression),
            BinaryExpression binary => $"The operator {Operator(binary.Type)} is not part of the formula language; use + - * / and comparisons.",
            TernaryExpression ternary => Problem(ternary.LeftExpression) ?? Problem(ternary.MiddleExpression) ?? Problem(ternary.RightExpression),
            Function function => Call(function),
            _ => $"{expression} is not part of the formula language.",
        };

        private string? Reference(Identifier identifier)
        {
            var key = KeyOf(identifier);
            if (!_keys.Contains(key)) _keys.Add(key);
            return null;
        }

        private string? Call(Function function)
        {
            var name = FunctionName(function);
            var args = function.Parameters;
            switch (name)
            {
                case "previous":
                    if (args.Count is < 1 or > 2 || args[0] is not Identifier)
                        return "previous takes a KPI and optionally how many periods back: previous({revenue}) or previous({revenue}, 4).";
                    return Reference((Identifier)args[0]) ?? Back(name, args.Count == 2 ? args[1] : null, offset: 0);
                case "sum" or "average":
                    if (args.Count != 2 || args[0] is not Identifier)
                        return $"{name} takes a KPI and a number of periods: {name}({{signups}}, 4) covers this period and the 3 before it.";
                    return Reference((Identifier)args[0]) ?? Back(name, args[1], offset: 1);
                case "min" or "max":
                    if (args.Count < 2) return $"{name} takes two or more values: {name}({{a}}, {{b}}).";
                    break;
                case "abs":
                    if (args.Count != 1) return "abs takes one value: abs({margin}).";
                    break;
                case "round":
                    if (args.Count != 2 || WholeNumber(args[1]) is not (>= 0 and <= MaxRoundDigits))
                        return $"round takes a value and a whole number of decimal places from 0 to {MaxRoundDigits}: round({{rate}}, 2).";
                    break;
                case "if":
                    if (args.Count != 3) return "if takes a condition and two values: if({visitors} > 0, {signups} / {visitors}, 0).";
                    break;
                default:
                    return $"The formula language has no function '{function.Identifier.Name}'; it has {string.Join(", ", Functions)}.";
            }
            foreach (var arg in args)
                if (Problem(arg) is { } problem) return problem;
            return null;
        }

        private string? Back(string name, LogicalExpression? count, int offset)
        {
            var n = count is null ? 1 : WholeNumber(count);
            if (n is not (>= 1 and <= MaxPeriodsBack))
                return $"The number of periods of {name} must be a whole number from 1 to {MaxPeriodsBack}.";
            PeriodsBack = Math.Max(PeriodsBack, n.Value - offset);
            return null;
        }

        private static bool Allowed(BinaryExpressionType type) => type is BinaryExpressionType.Plus or BinaryExpressionType.Minus
            or BinaryExpressionType.Times or BinaryExpressionType.Div or BinaryExpressionType.And or BinaryExpressionType.Or
            or BinaryExpressionType.Equal or BinaryExpressionType.NotEqual or BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual
            or BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual;

        private static string Operator(BinaryExpressionType type) => type switch
        {
            BinaryExpressionType.Modulo => "%",
            BinaryExpressionType.Exponentiation => "**",
            _ => type.ToString(),
        };

        private static string Describe(ValueExpression value) => value.Value is string text ? $"the text '{text}'" : $"{value.Value}";
    }

    /// <summary>Numbers and conditions kept apart: arithmetic takes numbers, if/and/or/not take conditions, comparisons turn numbers into conditions.</summary>
    private sealed class TypeCheck(Func<string, KpiValueType> typeOf)
    {
        public (FormulaKind Kind, string? Problem) Kind(LogicalExpression expression)
        {
            switch (expression)
            {
                case ValueExpression { Value: bool }: return (FormulaKind.Condition, null);
                case ValueExpression: return (FormulaKind.Number, null);
                case Identifier identifier:
                    return (typeOf(KeyOf(identifier)) == KpiValueType.Boolean ? FormulaKind.Condition : FormulaKind.Number, null);
                case UnaryExpression { Type: UnaryExpressionType.Not } not: return Expect(not.Expression, FormulaKind.Condition, "not");
                case UnaryExpression unary: return Expect(unary.Expression, FormulaKind.Number, "-");
                case BinaryExpression { Type: BinaryExpressionType.And or BinaryExpressionType.Or } logical:
                    return Both(logical, FormulaKind.Condition, FormulaKind.Condition);
                case BinaryExpression { Type: BinaryExpressionType.Plus or BinaryExpressionType.Minus or BinaryExpressionType.Times or BinaryExpressionType.Div } arithmetic:
                    return Both(arithmetic, FormulaKind.Number, FormulaKind.Number);
                case BinaryExpression comparison:
                    return Both(comparison, FormulaKind.Number, FormulaKind.Condition);
                case TernaryExpression ternary:
                    return Choice(ternary.LeftExpression, ternary.MiddleExpression, ternary.RightExpression);
                case Function function:
                    return Call(function);
                default:
                    return (FormulaKind.Number, $"{expression} is not part of the formula language.");
            }
        }

        private (FormulaKind, string?) Call(Function function)
        {
            var args = function.Parameters;
            switch (FunctionName(function))
            {
                case "previous":
                    return Kind(args[0]);
                case "sum" or "average":
                    return Expect(args[0], FormulaKind.Number, FunctionName(function));
                case "round":
                    return Expect(args[0], FormulaKind.Number, "round");
                case "if":
                    return Choice(args[0], args[1], args[2]);
                default:
                    foreach (var arg in args)
                        if (Expect(arg, FormulaKind.Number, FunctionName(function)) is { Problem: { } problem }) return (FormulaKind.Number, problem);
                    return (FormulaKind.Number, null);
            }
        }

        private (FormulaKind, string?) Choice(LogicalExpression condition, LogicalExpression then, LogicalExpression otherwise)
        {
            if (Expect(condition, FormulaKind.Condition, "if") is { Problem: { } problem }) return (FormulaKind.Number, problem);
            var (thenKind, thenProblem) = Kind(then);
            if (thenProblem is not null) return (thenKind, thenProblem);
            var (otherKind, otherProblem) = Kind(otherwise);
            if (otherProblem is not null) return (otherKind, otherProblem);
            return thenKind == otherKind ? (thenKind, null) : (thenKind, "The two values of if must both be numbers or both be conditions.");
        }

        private (FormulaKind, string?) Both(BinaryExpression binary, FormulaKind operands, FormulaKind result)
        {
            var op = binary.Type.ToString().ToLowerInvariant();
            if (Expect(binary.LeftExpression, operands, op) is { Problem: { } left }) return (result, left);
            if (Expect(binary.RightExpression, operands, op) is { Problem: { } right }) return (result, right);
            return (result, null);
        }

        private (FormulaKind Kind, string? Problem) Expect(LogicalExpression expression, FormulaKind wanted, string where)
        {
            var (kind, problem) = Kind(expression);
            if (problem is not null || kind == wanted) return (kind, problem);
            if (wanted == FormulaKind.Number)
                return (kind, Reference(expression) is { } key
                    ? $"KPI '{key}' is boolean: it can be a condition (if({{{key}}}, 1, 0)), not a number in arithmetic ({where})."
                    : $"A condition (true or false) cannot be a number in arithmetic ({where}); use if(condition, a, b).");
            return (kind, $"{where} needs a condition (a comparison such as {{errors}} > 0, or a boolean KPI), not a number.");
        }

        private static string? Reference(LogicalExpression expression) => expression switch
        {
            Identifier identifier => KeyOf(identifier),
            Function { Parameters.Count: > 0 } function when FunctionName(function) is "previous" or "sum" or "average" && function.Parameters[0] is Identifier identifier => KeyOf(identifier),
            _ => null,
        };
    }
}

internal enum FormulaKind { Number, Condition }

/// <summary>Why a text is not a formula; <paramref name="Position"/> is the 1-based character of a syntax error.</summary>
internal sealed record FormulaProblem(string Message, int? Position);
