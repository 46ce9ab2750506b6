package io.riskgrid.market.chain;

/**
 * A row that could not be used, with the file, its line (1 is the header), the key it names
 * (instrument or symbol, when readable) and why. Never a number, never silently dropped.
 */
public record RowReject(String source, long line, String key, String reason) {

  @Override
  public String toString() {
    return source + " line " + line + (key == null ? "" : " (" + key + ")") + ": " + reason;
  }
}
