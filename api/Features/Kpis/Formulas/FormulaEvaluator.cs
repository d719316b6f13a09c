using System.Globalization;
using NCalc;

namespace OkrKpi.Api.Features.Kpis.Formulas;

/// <summary>One input's value in one period of the computed KPI: rolled up from <paramref name="Values"/> values of a finer frequency with <paramref name="Aggregation"/>, or null when the input is of the same frequency.</summary>
internal readonly record struct InputValue(decimal Value, int Values, KpiAggregation? Aggregation);

/// <summary>An input's values by the computed KPI's period start.</summary>
internal interface IFormulaInputs
{
    InputValue? Find(string key, DateTimeOffset periodStart);
}

/// <summary>Why a computed KPI has no value for a period.</summary>
public enum NoValueReason { MissingInput, DivisionByZero, Overflow }

/// <summary>Why a period has no computed value: the input (and its period) that had none, a division by zero, or a result beyond what is stored.</summary>
internal sealed record NoValue(NoValueReason Reason, string? Kpi, string? Period, string Message);

/// <summary>How one reference of the formula was read for the explanation: the KPI, how it was used, the periods read and the value they gave.</summary>
internal sealed record ReadInput(string Kpi, string Use, IReadOnlyList<string> Periods, decimal? Value, int Values, KpiAggregation? Aggregation);

/// <summary>The result for one period: a value, or why there is none; with what was read when the caller asked for it.</summary>
internal sealed record Evaluation(decimal? Value, NoValue? NoValue, IReadOnlyList<ReadInput> Inputs);

/// <summary>
/// Evaluates a checked <see cref="KpiFormula"/> for one period of the computed KPI, in decimal. A missing input, a
/// division by zero or a result beyond what is stored gives no value (never 0 or an infinity); only the branch of an
/// if that is taken is evaluated, so if({visitors} > 0, …, 0) guards a division.
/// </summary>
internal sealed class FormulaEvaluator(KpiFormula formula, KpiFrequency frequency, TimeZoneInfo zone, IFormulaInputs inputs)
{
    private List<ReadInput>? _read;
    private DateTimeOffset _period;

    public Evaluation Evaluate(DateTimeOffset periodStart, bool explain = false)
    {
        _period = periodStart;
        _read = explain ? [] : null;
        Outcome result;
        try
        {
            result = Eval(formula.Expression);
        }
        catch (OverflowException)
        {
            result = Outcome.None(new NoValue(NoValueReason.Overflow, null, null, "A step of the formula leaves the range of exact decimals."));
        }
        if (result.Missing is null && !result.IsCondition && Math.Abs(result.Number) >= Measurements.MeasurementRules.MaxMagnitude)
            result = Outcome.None(new NoValue(NoValueReason.Overflow, null, null, "The result's magnitude is 10^26 or more, beyond what is stored."));
        var value = result.Missing is not null ? (decimal?)null : result.IsCondition ? (result.IsTrue ? 1 : 0) : result.Number;
        return new Evaluation(value, result.Missing, (IReadOnlyList<ReadInput>?)_read ?? []);
    }

    private readonly record struct Outcome(decimal Number, bool IsCondition, bool IsTrue, NoValue? Missing)
    {
        public static Outcome Of(decimal number) => new(number, false, false, null);
        public static Outcome Of(bool condition) => new(0, true, condition, null);
        public static Outcome None(NoValue why) => new(0, false, false, why);
    }

    private Outcome Eval(LogicalExpression expression) => expression switch
    {
        ValueExpression { Value: bool condition } => Outcome.Of(condition),
        ValueExpression value => Outcome.Of(Convert.ToDecimal(value.Value, CultureInfo.InvariantCulture)),
        Identifier identifier => Read(KpiFormula.KeyOf(identifier), "value", 0),
        UnaryExpression unary => Unary(unary),
        BinaryExpression binary => Binary(binary),
        TernaryExpression ternary => If(ternary.LeftExpression, ternary.MiddleExpression, ternary.RightExpression),
        Function function => Call(function),
        _ => throw new InvalidOperationException($"Unchecked formula node {expression.GetType().Name}."),
    };

    private Outcome Unary(UnaryExpression unary)
    {
        var operand = Eval(unary.Expression);
        if (operand.Missing is not null) return operand;
        return unary.Type switch
        {
            UnaryExpressionType.Negate => Outcome.Of(-operand.Number),
            UnaryExpressionType.Not => Outcome.Of(!operand.IsTrue),
            _ => operand,
        };
    }

    private Outcome Binary(BinaryExpression binary)
    {
        var left = Eval(binary.LeftExpression);
        if (left.Missing is not null) return left;
        // and/or decide on their left side when they can, as people read them.
        if (binary.Type == BinaryExpressionType.And && !left.IsTrue) return Outcome.Of(false);
        if (binary.Type == BinaryExpressionType.Or && left.IsTrue) return Outcome.Of(true);
        var right = Eval(binary.RightExpression);
        if (right.Missing is not null) return right;
        decimal a = left.Number, b = right.Number;
        return binary.Type switch
        {
            BinaryExpressionType.Plus => Outcome.Of(a + b),
            BinaryExpressionType.Minus => Outcome.Of(a - b),
            BinaryExpressionType.Times => Outcome.Of(a * b),
            BinaryExpressionType.Div => b == 0
                ? Outcome.None(new NoValue(NoValueReason.DivisionByZero, null, null, "The formula divides by zero for this period."))
                : Outcome.Of(a / b),
            BinaryExpressionType.And or BinaryExpressionType.Or => Outcome.Of(right.IsTrue),
            BinaryExpressionType.Equal => Outcome.Of(a == b),
            BinaryExpressionType.NotEqual => Outcome.Of(a != b),
            BinaryExpressionType.Lesser => Outcome.Of(a < b),
            BinaryExpressionType.LesserOrEqual => Outcome.Of(a <= b),
            BinaryExpressionType.Greater => Outcome.Of(a > b),
            BinaryExpressionType.GreaterOrEqual => Outcome.Of(a >= b),
            _ => throw new InvalidOperationException($"Unchecked operator {binary.Type}."),
        };
    }

    private Outcome If(LogicalExpression condition, LogicalExpression then, LogicalExpression otherwise)
    {
        var test = Eval(condition);
        if (test.Missing is not null) return test;
        return Eval(test.IsTrue ? then : otherwise);
    }

    private Outcome Call(Function function)
    {
        var args = function.Parameters;
        switch (KpiFormula.FunctionName(function))
        {
            case "previous":
                return Read(KpiFormula.KeyOf((Identifier)args[0]), "previous", args.Count == 2 ? KpiFormula.WholeNumber(args[1])!.Value : 1);
            case "sum":
                return Window(KpiFormula.KeyOf((Identifier)args[0]), "sum", KpiFormula.WholeNumber(args[1])!.Value, average: false);
            case "average":
                return Window(KpiFormula.KeyOf((Identifier)args[0]), "average", KpiFormula.WholeNumber(args[1])!.Value, average: true);
            case "if":
                return If(args[0], args[1], args[2]);
            case "round":
                var x = Eval(args[0]);
                return x.Missing is not null ? x : Outcome.Of(Math.Round(x.Number, KpiFormula.WholeNumber(args[1])!.Value, MidpointRounding.ToEven));
            case "abs":
                var y = Eval(args[0]);
                return y.Missing is not null ? y : Outcome.Of(Math.Abs(y.Number));
            default:
                var best = Eval(args[0]);
                if (best.Missing is not null) return best;
                var max = KpiFormula.FunctionName(function) == "max";
                for (var i = 1; i < args.Count; i++)
                {
                    var next = Eval(args[i]);
                    if (next.Missing is not null) return next;
                    if (max ? next.Number > best.Number : next.Number < best.Number) best = next;
                }
                return best;
        }
    }

    /// <summary>The input's value <paramref name="back"/> periods before the one computed.</summary>
    private Outcome Read(string key, string use, int back)
    {
        var period = Back(_period, back);
        var found = inputs.Find(key, period);
        // The period's label is only wanted to explain a result or a missing value.
        var label = _read is not null || found is null ? KpiPeriods.Label(frequency, period, zone) : null;
        _read?.Add(new ReadInput(key, use, [label!], found?.Value, found?.Values ?? 0, found?.Aggregation));
        if (found is not { } input)
            return Outcome.None(new NoValue(NoValueReason.MissingInput, key, label, $"KPI '{key}' has no value for {label}."));
        return Outcome.Of(input.Value);
    }

    /// <summary>The sum or average over this period and the <paramref name="periods"/> − 1 before it; every one of them must have a value.</summary>
    private Outcome Window(string key, string use, int periods, bool average)
    {
        var labels = new List<string>(_read is null ? 0 : periods);
        var total = 0m;
        var values = 0;
        NoValue? missing = null;
        var period = _period;
        for (var i = 0; i < periods; i++, period = KpiPeriods.Previous(frequency, period, zone))
        {
            var label = _read is not null || missing is null ? KpiPeriods.Label(frequency, period, zone) : null;
            if (_read is not null) labels.Insert(0, label!);
            if (inputs.Find(key, period) is { } input)
            {
                total += input.Value;
                values += input.Values;
            }
            else
            {
                missing ??= new NoValue(NoValueReason.MissingInput, key, label, $"KPI '{key}' has no value for {label}.");
                if (_read is null) break;
            }
        }
        decimal? result = missing is null ? (average ? total / periods : total) : null;
        _read?.Add(new ReadInput(key, $"{use} of {periods} periods", labels, result, values, null));
        return missing is null ? Outcome.Of(result!.Value) : Outcome.None(missing);
    }

    private DateTimeOffset Back(DateTimeOffset period, int periods)
    {
        for (var i = 0; i < periods; i++) period = KpiPeriods.Previous(frequency, period, zone);
        return period;
    }
}
