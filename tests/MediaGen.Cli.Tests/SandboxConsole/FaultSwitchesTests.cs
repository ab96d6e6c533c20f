namespace MediaGen.Cli.Tests;

public class FaultSwitchesTests
{
    [Theory]
    [InlineData("meigen")]
    [InlineData("meigen=")]
    [InlineData("=outage")]
    [InlineData("meigen=outage:0")]
    [InlineData("meigen=outage:two")]
    [InlineData("nosuch=outage")]
    [InlineData("meigen=meltdown")]
    public async Task TurnOn_MalformedSpec_SaysWhatIsWrongAndTurnsNothingOn(string spec)
    {
        await using var sandbox = await Sandbox.StartAsync(0, CancellationToken.None);

        string? error = sandbox.Faults.TurnOn(spec);

        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Empty(sandbox.Faults.Active);
    }

    [Fact]
    public async Task TurnOn_VendorAnyCaseWithCount_IsOnForThatManyRequests()
    {
        await using var sandbox = await Sandbox.StartAsync(0, CancellationToken.None);

        Assert.Null(sandbox.Faults.TurnOn("VEOGEN=Rate-Limit:3"));

        ActiveFault on = Assert.Single(sandbox.Faults.Active);
        Assert.Equal(new ActiveFault("VeoGen", "rate-limit", 3, 0), on);
    }

    [Fact]
    public void Kinds_Catalog_HasTheIssuesKindsEachDoingOneThing()
    {
        Assert.Equal(["outage", "submit-outage", "rate-limit", "slow", "drop-after-accept", "unreadable-status", "content-policy"], FaultSwitchKinds.All.Select(k => k.Name));
        Assert.All(FaultSwitchKinds.All, k => Assert.True(k.Rule is null != (k.Script is null), k.Name));
    }
}
