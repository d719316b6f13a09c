using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.UnitTests.Features.Measurements;

/// <summary>How a sent number becomes the stored value: exact up to 28 digits, otherwise rounded half to even, never refused for its digits.</summary>
public sealed class MeasurementRulesTests
{
    [TestCase("1.5", "1.5")]
    [TestCase("1.50", "1.5")]
    [TestCase("100", "100")]
    [TestCase("1E2", "100")]
    [TestCase("1.0e-5", "0.00001")]
    [TestCase("-0", "0")]
    [TestCase("-0.000", "0")]
    [TestCase("0.000123456789012345", "0.000123456789012345")]
    [TestCase("1.1000000000000001", "1.1000000000000001")]
    [TestCase("99999999999999999999999999", "99999999999999999999999999")]
    public void Stores_a_number_it_keeps_whole_in_its_shortest_form(string sent, string stored)
    {
        var (value, error) = MeasurementRules.ReadValue(new RawValue(RawValueKind.Number, sent), KpiValueType.Number);

        Assert.That(error, Is.Null);
        Assert.That((value.Text, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), value.Rounded), Is.EqualTo((stored, stored, false)));
    }

    [TestCase("0.00000000000000000000000000025", "0.0000000000000000000000000002")]
    [TestCase("0.00000000000000000000000000035", "0.0000000000000000000000000004")]
    [TestCase("0.000000000000000000000000000251", "0.0000000000000000000000000003")]
    [TestCase("-0.00000000000000000000000000025", "-0.0000000000000000000000000002")]
    [TestCase("1e-29", "0")]
    [TestCase("1234567890.1234567890123456789", "1234567890.1234567890123456789")]
    [TestCase("12345678901234567890123.4567891", "12345678901234567890123.456789")]
    public void Rounds_half_to_even_what_it_cannot_keep_and_says_so(string sent, string stored)
    {
        var (value, error) = MeasurementRules.ReadValue(new RawValue(RawValueKind.Number, sent), KpiValueType.Number);

        Assert.That(error, Is.Null);
        Assert.That(value.Text, Is.EqualTo(stored));
        Assert.That(value.Rounded, Is.EqualTo(sent.TrimStart('-').Replace(".", "").TrimStart('0') != stored.TrimStart('-').Replace(".", "").TrimStart('0')));
    }

    [TestCase("1e26")]
    [TestCase("-100000000000000000000000000")]
    [TestCase("1e400")]
    public void Refuses_only_a_magnitude_of_10_to_the_26_or_more(string sent)
    {
        var (_, error) = MeasurementRules.ReadValue(new RawValue(RawValueKind.Number, sent), KpiValueType.Number);

        Assert.That(error, Does.Contain("10^26"));
    }

    [TestCase("1,5", "decimal point")]
    [TestCase("NaN", "decimal point")]
    [TestCase("0x10", "decimal point")]
    public void Refuses_text_that_is_not_a_number(string sent, string reason)
    {
        var (_, error) = MeasurementRules.ReadValue(RawValue.FromText(sent), KpiValueType.Number);

        Assert.That(error, Does.Contain(reason));
    }
}
