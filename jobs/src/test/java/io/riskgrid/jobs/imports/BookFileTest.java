package io.riskgrid.jobs.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV line splitter: its comma fast path against commons-csv, which splits every line with a quote. */
class BookFileTest {
  @Test
  void quoteFreeLinesSplitAsCommonsCsvSplitsThem() {
    for (String line : List.of("A1,BTC-PERPETUAL,-3,64100", "A1,BTC-27MAR26-60000-P,-3,", ",,,", "  A1 , ETH ,  2.5 ,",
        "one", "A1,\tBTC\t,1e-3,+Infinity", "a,b,,c,,", " , ")) {
      assertEquals(BookFile.splitQuoted(line), BookFile.splitCsv(line), line);
    }
  }

  @Test
  void quotedFieldsKeepTheirCommas() {
    assertEquals(List.of("A1", "BTC,ETH", "3"), BookFile.splitCsv("A1,\"BTC,ETH\",3"));
    assertEquals(List.of("A \"1\"", "x"), BookFile.splitCsv("\"A \"\"1\"\"\",x"));
    assertThrows(IllegalArgumentException.class, () -> BookFile.splitCsv("A1,\"open,3"));
  }
}
