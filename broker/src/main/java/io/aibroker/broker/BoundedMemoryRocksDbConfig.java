package io.aibroker.broker;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of all the broker's RocksDB stores together, as the Kafka Streams
 * memory-management guide recommends: one block cache and one write-buffer manager shared by every
 * store instance, memtables counted against the cache, index and filter blocks in it too.
 *
 * <p>Without it each store instance (stores × partitions of them) has its own 50 MB block cache and
 * up to three 16 MB memtables, and the 30-minute soak saw the broker's memory outside the JVM grow
 * by 310 MiB an hour (docs/RELIABILITY.md).
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

  /** Off-heap memory of all stores of this process together: block cache and memtables. */
  static final long TOTAL_OFF_HEAP_BYTES = 64L * 1024 * 1024;

  /** Of which memtables may take at most this much. */
  static final long TOTAL_MEMTABLE_BYTES = 16L * 1024 * 1024;

  private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
  private static final long MEMTABLE_BYTES = 4L * 1024 * 1024;
  private static final int MEMTABLES = 2;

  /**
   * Shared by every store instance of the process, hence static; made on first use (the config
   * class is loaded while the settings are parsed, before RocksDB's native library) and never
   * closed while the process runs.
   */
  private static final class Shared {
    static {
      RocksDB.loadLibrary();
    }

    static final Cache CACHE =
        new LRUCache(TOTAL_OFF_HEAP_BYTES, -1, false, INDEX_FILTER_BLOCK_RATIO);
    static final WriteBufferManager WRITE_BUFFERS =
        new WriteBufferManager(TOTAL_MEMTABLE_BYTES, CACHE);
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(Shared.CACHE);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(Shared.WRITE_BUFFERS);
    options.setMaxWriteBufferNumber(MEMTABLES);
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager are shared by every store: they stay open.
  }
}
