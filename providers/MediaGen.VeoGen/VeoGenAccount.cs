namespace MediaGen.VeoGen;

/// <summary>The VeoGen account (<c>GET /account</c>).</summary>
/// <param name="Name">The account name.</param>
/// <param name="Email">The account e-mail.</param>
/// <param name="Balance">The USD balance (<c>usd_balance</c>), when reported.</param>
/// <param name="Spent">The USD spent so far (<c>usd_spent</c>), when reported.</param>
public sealed record VeoGenAccount(string? Name, string? Email, Money? Balance, Money? Spent);
