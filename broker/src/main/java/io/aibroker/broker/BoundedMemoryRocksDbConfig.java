package io.aibroker.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * store instance of the process, memtables and index and filter blocks counted against the cache.
 * The budget is {@link BrokerConfig#ROCKSDB_MEMORY_CONFIG} (bytes); memtables may take a quarter.
 *
 * <p>Without it each store instance (six stores × their partitions, plus three global stores) has
 * its own 50 MB block cache and up to three 16 MB memtables, and at 50 requests/s the broker's
 * memory outside the JVM grew by 310 MiB an hour in the soak: memtables fill for hours before their
 * first flush (docs/RELIABILITY.md, soak).
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

  private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
  private static final int MEMTABLES_PER_STORE = 2;

  /**
   * Cache and write-buffer manager per budget, shared by every store instance of the process with
   * that budget (one, unless tests run several brokers in one JVM), and never closed while the
   * process runs: stores of tasks that move here later use them too.
   */
  private static final Map<Long, SharedMemory> SHARED = new ConcurrentHashMap<>();

  private record SharedMemory(Cache cache, WriteBufferManager writeBuffers, long memtableBytes) {
    static SharedMemory of(long totalBytes) {
      RocksDB.loadLibrary(); // this class may be loaded before Streams loads RocksDB
      long memtables = totalBytes / 4;
      Cache cache = new LRUCache(totalBytes, -1, false, INDEX_FILTER_BLOCK_RATIO);
      return new SharedMemory(
          cache, new WriteBufferManager(memtables, cache), Math.max(1L << 20, memtables / 8));
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    SharedMemory shared = SHARED.computeIfAbsent(memoryBudget(configs), SharedMemory::of);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(shared.writeBuffers());
    options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
    options.setWriteBufferSize(shared.memtableBytes());
    options.setTableFormatConfig(table);
  }

  private static long memoryBudget(Map<String, Object> configs) {
    Object value = configs.get(BrokerConfig.ROCKSDB_MEMORY_CONFIG);
    long bytes =
        value == null
            ? BrokerConfig.DEFAULT_ROCKSDB_MEMORY_BYTES
            : Long.parseLong(value.toString().strip());
    if (bytes < 1L << 20) {
      throw new IllegalArgumentException(
          BrokerConfig.ROCKSDB_MEMORY_CONFIG + " must be at least 1 MiB, was " + bytes);
    }
    return bytes;
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager are shared by every store: they stay open.
  }
}
