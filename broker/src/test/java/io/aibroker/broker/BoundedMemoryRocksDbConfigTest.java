package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

class BoundedMemoryRocksDbConfigTest {

  private static final long BUDGET = 8L << 20;

  private final BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();

  @Test
  void memtablesOfAllStoresTogetherStayWithinAQuarterOfTheBudget(@TempDir Path dir)
      throws Exception {
    RocksDB.loadLibrary();
    List<Options> options = new ArrayList<>();
    List<RocksDB> stores = new ArrayList<>();
    try (WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
      for (int i = 0; i < 4; i++) {
        Options store = streamsLikeOptions();
        setter.setConfig("store-" + i, store, Map.of(BrokerConfig.ROCKSDB_MEMORY_CONFIG, BUDGET));
        options.add(store);
        stores.add(RocksDB.open(store, dir.resolve("store-" + i).toString()));
      }
      byte[] value = "v".repeat(1_000).getBytes(StandardCharsets.UTF_8);
      for (int round = 0; round < 3; round++) {
        for (int n = 0; n < 20_000; n++) { // 20 MB over four stores, without WAL as Streams
          String key = "key-" + round + "-" + n;
          stores.get(n % 4).put(noWal, key.getBytes(StandardCharsets.UTF_8), value);
        }
        assertThat(memtableBytes(stores))
            .as("memtables after %d MB written", 20 * (round + 1))
            .isLessThanOrEqualTo(BUDGET);
      }
      assertThat(dir.resolve("store-0").toFile().list((d, name) -> name.endsWith(".sst")))
          .as("memtables were flushed to SST files when the shared budget filled")
          .isNotEmpty();
    } finally {
      stores.forEach(RocksDB::close);
      options.forEach(Options::close);
    }
  }

  @Test
  void storesKeepIndexAndFilterBlocksInTheSharedCache() {
    RocksDB.loadLibrary();
    try (Options store = streamsLikeOptions()) {
      setter.setConfig("store", store, Map.of());
      BlockBasedTableConfig table = (BlockBasedTableConfig) store.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
      assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
      assertThat(store.maxWriteBufferNumber()).isEqualTo(2);
      assertThat(store.writeBufferSize())
          .isEqualTo(BrokerConfig.DEFAULT_ROCKSDB_MEMORY_BYTES / 4 / 8);
    }
  }

  @Test
  void rejectsABudgetBelowOneMebibyte() {
    RocksDB.loadLibrary();
    try (Options store = streamsLikeOptions()) {
      assertThatThrownBy(
              () ->
                  setter.setConfig(
                      "store", store, Map.of(BrokerConfig.ROCKSDB_MEMORY_CONFIG, "1000")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 1 MiB");
    }
  }

  private static long memtableBytes(List<RocksDB> stores) throws Exception {
    long bytes = 0;
    for (RocksDB store : stores) {
      bytes += store.getLongProperty("rocksdb.cur-size-all-mem-tables");
    }
    return bytes;
  }

  /** Options as Kafka Streams hands them to a config setter: a block-based table format. */
  private static Options streamsLikeOptions() {
    Options options = new Options().setCreateIfMissing(true);
    options.setTableFormatConfig(new BlockBasedTableConfig());
    return options;
  }
}
