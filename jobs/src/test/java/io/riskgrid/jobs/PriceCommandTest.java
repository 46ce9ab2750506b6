package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.pricing.Black76;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PriceCommandTest {

  private static String[] run(String csv, int expectedFailures, StringWriter err) throws Exception {
    StringWriter out = new StringWriter();
    int failed = PriceCommand.run(new BufferedReader(new StringReader(csv)), new PrintWriter(out), new PrintWriter(err, true));
    assertEquals(expectedFailures, failed, err.toString());
    return out.toString().split("\n");
  }

  @Test
  void pricesEveryRowWithTheDocumentedColumns() throws Exception {
    // Haug (2007) §1.1.3: Black-76 F = 19, K = 19, T = 0.75, r = 0.10, σ = 0.28: call = put = 1.7011.
    String[] lines = run(PriceCommand.INPUT_HEADER + "\nh1,call,19,19,0.75,0.28,0.10\nh2,put,19,19,0.75,0.28,0.10\n", 0, new StringWriter());
    assertEquals(PriceCommand.OUTPUT_HEADER, lines[0]);
    String[] call = lines[1].split(",");
    assertEquals("h1", call[0]);
    assertEquals(1.7011, Double.parseDouble(call[1]), 5e-5);
    assertEquals(Black76.vega(true, 19, 19, 0.75, 0.28, 0.10), Double.parseDouble(call[4]), 0.0);
    assertEquals(Double.parseDouble(call[1]), Double.parseDouble(lines[2].split(",")[1]), 1e-12, "ATM call = put");
  }

  @Test
  void badRowsNameTheirLineAndTheOthersGoOn() throws Exception {
    StringWriter err = new StringWriter();
    String[] lines = run(PriceCommand.INPUT_HEADER + "\nok,C,100,100,1,0.2,0\nbad1,X,100,100,1,0.2,0\nbad2,call,abc,100,1,0.2,0\n"
        + "bad3,put,100,-5,1,0.2,0\nbad4,put,100\nok2,P,100,90,0.5,0.3,0.01\n", 4, err);
    assertEquals(3, lines.length, String.join("|", lines));
    String e = err.toString();
    assertTrue(e.contains("line 3 (id 'bad1')") && e.contains("option_type"), e);
    assertTrue(e.contains("line 4 (id 'bad2')") && e.contains("forward"), e);
    assertTrue(e.contains("line 5 (id 'bad3')") && e.contains("strike"), e);
    assertTrue(e.contains("line 6 (id 'bad4')") && e.contains("7 fields"), e);
  }

  @Test
  void anOverflowingRowIsAnErrorLineNeverInfinity() throws Exception {
    StringWriter err = new StringWriter();
    String[] lines = run(PriceCommand.INPUT_HEADER + "\nhuge,call,1e308,1,1,0.5,0\nrate,put,100,100,1,0.2,-1e308\n"
        + "ok,C,100,100,1,0.2,0\n", 1, err);
    // A forward of 1e308 is large but its figures are finite and printed; a rate of -1e308 overflows the discount.
    assertEquals(3, lines.length, String.join("|", lines));
    assertTrue(!String.join("|", lines).contains("Infinity") && !String.join("|", lines).contains("NaN"));
    assertTrue(err.toString().contains("line 3 (id 'rate')") && err.toString().contains("not finite"), err.toString());
  }

  @Test
  void wrongHeaderIsAnError() throws Exception {
    StringWriter err = new StringWriter();
    run("id,type\n", 1, err);
    assertTrue(err.toString().contains("expected the header"), err.toString());
  }
}
