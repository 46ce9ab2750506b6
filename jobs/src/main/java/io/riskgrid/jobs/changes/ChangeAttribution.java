package io.riskgrid.jobs.changes;

/**
 * The split of one account's day-on-day ΔMM into positions, market and policy effects, in the fixed order
 * of DESIGN §7.3 (P = positions and collateral, M = market, π = policy):
 * positions = MM(P₁, M₀, π₀) − MM(P₀, M₀, π₀); market = MM(P₁, M₁, π₀) − MM(P₁, M₀, π₀);
 * policy = MM(P₁, M₁, π₁) − MM(P₁, M₁, π₀). They telescope, so they add up to MM(P₁, M₁, π₁) − MM(P₀, M₀, π₀)
 * up to the rounding of three subtractions. Pure: the job supplies the four margins, each null when that
 * account could not be margined there, with why.
 */
public final class ChangeAttribution {
  private ChangeAttribution() {}

  /**
   * One side of the split: an account's MM (margin currency) under one (positions, market, policy), or
   * why there is none. {@code present} is false when the account is not in that date's inputs at all.
   */
  public record Margin(boolean present, String currency, Double mm, String why) {
    public static final Margin ABSENT = new Margin(false, null, null, null);

    static Margin of(String currency, Double mm, String status, String reason) {
      return new Margin(true, currency, mm, mm == null ? status + (reason == null ? "" : ": " + reason) : null);
    }

    boolean valid() {
      return present && mm != null;
    }
  }

  /** A {@code margin_changes} row's figures; amounts in {@code currency}, nulls where the note says why. */
  public record Split(String currency, Double mmPrev, Double mm, Double positionsEffect, Double marketEffect,
      Double policyEffect, String note) {}

  /**
   * @param prev MM(P₀, M₀, π₀): the account in the earlier date's margins
   * @param today MM(P₁, M₁, π₁): the account in the later date's margins
   * @param onPrevMarket MM(P₁, M₀, π₀): the later positions on the earlier market and policy
   * @param onPrevPolicy MM(P₁, M₁, π₀): the later positions and market under the earlier policy; ignored
   *     when {@code samePolicy}
   * @param samePolicy whether π₀ and π₁ have the same hash (the policy effect is then 0 and MM(P₁, M₁, π₀) is today's)
   */
  public static Split of(Margin prev, Margin today, Margin onPrevMarket, Margin onPrevPolicy, boolean samePolicy) {
    if (!today.present()) {
      // Closed: the whole MM of yesterday goes, as a change of positions.
      if (!prev.valid()) {
        return new Split(prev.currency(), null, 0.0, null, null, null, "closed on D; invalid on D0 (" + prev.why() + ")");
      }
      return new Split(prev.currency(), prev.mm(), 0.0, -prev.mm(), 0.0, 0.0, "closed: not in D's inputs");
    }
    String currency = today.currency();
    if (!today.valid()) {
      return new Split(currency, prev.present() ? prev.mm() : null, null, null, null, null, "invalid on D (" + today.why() + ")");
    }
    double mm = today.mm();
    if (prev.present() && !prev.valid()) {
      return new Split(currency, null, mm, null, null, null, "invalid on D0 (" + prev.why() + ")");
    }
    if (prev.present() && prev.currency() != null && !prev.currency().equals(currency)) {
      return new Split(currency, prev.mm(), mm, null, null, null, "margin currency changed from " + prev.currency() + " to "
          + currency + ": the amounts are in different units");
    }
    double mmPrev = prev.present() ? prev.mm() : 0.0;
    String note = prev.present() ? null : "new on D: MM on D0 taken as 0";
    Double policy = samePolicy ? Double.valueOf(0.0) : onPrevPolicy.valid() ? Double.valueOf(mm - onPrevPolicy.mm()) : null;
    Double withPrevPolicy = samePolicy ? Double.valueOf(mm) : onPrevPolicy.valid() ? onPrevPolicy.mm() : null;
    if (!onPrevMarket.valid()) {
      return new Split(currency, mmPrev, mm, null, null, policy, join(note, "D's book cannot be margined on D0's market ("
          + onPrevMarket.why() + "): positions and market effects not separated"));
    }
    if (withPrevPolicy == null) {
      return new Split(currency, mmPrev, mm, onPrevMarket.mm() - mmPrev, null, null, join(note,
          "D's book cannot be margined under D0's policy (" + onPrevPolicy.why() + "): market and policy effects not separated"));
    }
    return new Split(currency, mmPrev, mm, onPrevMarket.mm() - mmPrev, withPrevPolicy - onPrevMarket.mm(), policy, note);
  }

  private static String join(String a, String b) {
    return a == null ? b : a + "; " + b;
  }
}
