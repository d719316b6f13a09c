using OkrKpi.Api.Features.Notifications;

namespace OkrKpi.Api.UnitTests.Features.Notifications;

/// <summary>The signing of every webhook against the Standard Webhooks specification's own test vector.</summary>
public sealed class WebhookSignatureTests
{
    // The specification's example (standard-webhooks, spec/standard-webhooks.md and its libraries' tests).
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Payload = """{"test": 2432232314}""";
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Test]
    public void Signs_the_specifications_test_vector_as_the_specification_does()
    {
        Assert.That(WebhookSender.Sign([Secret], MessageId, Timestamp, Payload), Is.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Test]
    public void A_changed_payload_gets_another_signature()
    {
        Assert.That(WebhookSender.Sign([Secret], MessageId, Timestamp, """{"test": 2432232315}"""), Is.Not.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Test]
    public void Two_secrets_during_a_rotation_give_two_signatures_separated_by_a_space()
    {
        var other = WebhookSecrets.New();

        var header = WebhookSender.Sign([other, Secret], MessageId, Timestamp, Payload);

        Assert.That(header.Split(' '), Has.Length.EqualTo(2));
        Assert.That(header.Split(' ')[1], Is.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Test]
    public void New_secrets_are_whsec_prefixed_and_32_random_bytes()
    {
        var secret = WebhookSecrets.New();

        Assert.That(secret, Does.StartWith("whsec_"));
        Assert.That(Convert.FromBase64String(secret["whsec_".Length..]), Has.Length.EqualTo(32));
        Assert.That(WebhookSecrets.New(), Is.Not.EqualTo(secret));
    }
}
