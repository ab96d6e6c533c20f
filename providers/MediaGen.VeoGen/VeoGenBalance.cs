namespace MediaGen.VeoGen;

/// <summary>The VeoGen balance (<c>GET /balance</c>).</summary>
/// <param name="Remaining">The remaining USD balance (<c>remaining_balance</c>), when reported.</param>
/// <param name="Used">The USD used so far (<c>used_balance</c>), when reported.</param>
public sealed record VeoGenBalance(Money? Remaining, Money? Used);
