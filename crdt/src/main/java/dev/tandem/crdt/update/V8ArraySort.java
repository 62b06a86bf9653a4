package dev.tandem.crdt.update;

import java.util.Comparator;

/**
 * A replica of V8's {@code Array.prototype.sort} (TimSort, third_party/v8/builtins/array-sort.tq)
 * that performs the very same comparisons in the same order. With a consistent comparator
 * every stable sort gives the same result; this exists because Yjs's merge comparator is not
 * consistent in one case (see {@link UpdateMerger}), where only V8's exact comparison sequence
 * determines the outcome.
 */
final class V8ArraySort<T> {
  private static final int MIN_GALLOP = 7;

  private final T[] a;
  private final Comparator<T> cmp;
  private int minGallop = MIN_GALLOP;
  private final int[] runBase = new int[85];
  private final int[] runLen = new int[85];
  private int stackSize;

  private V8ArraySort(T[] a, Comparator<T> cmp) {
    this.a = a;
    this.cmp = cmp;
  }

  static <T> void sort(T[] a, Comparator<T> cmp) {
    if (a.length < 2) {
      return;
    }
    new V8ArraySort<>(a, cmp).run();
  }

  private void run() {
    int remaining = a.length;
    int low = 0;
    int minRun = minRunLength(remaining);
    while (remaining != 0) {
      int currentRunLength = countAndMakeRun(low, low + remaining);
      if (currentRunLength < minRun) {
        int forced = Math.min(minRun, remaining);
        binaryInsertionSort(low, low + currentRunLength, low + forced);
        currentRunLength = forced;
      }
      runBase[stackSize] = low;
      runLen[stackSize] = currentRunLength;
      stackSize++;
      mergeCollapse();
      low += currentRunLength;
      remaining -= currentRunLength;
    }
    mergeForceCollapse();
  }

  private static int minRunLength(int n) {
    int r = 0;
    while (n >= 64) {
      r |= n & 1;
      n >>= 1;
    }
    return n + r;
  }

  private int countAndMakeRun(int lowArg, int high) {
    int low = lowArg + 1;
    if (low == high) {
      return 1;
    }
    int runLength = 2;
    T elementLow = a[low];
    T elementLowPre = a[low - 1];
    int order = cmp.compare(elementLow, elementLowPre);
    boolean descending = order < 0;
    T previous = elementLow;
    for (int idx = low + 1; idx < high; ++idx) {
      T current = a[idx];
      order = cmp.compare(current, previous);
      if (descending) {
        if (order >= 0) {
          break;
        }
      } else if (order < 0) {
        break;
      }
      previous = current;
      ++runLength;
    }
    if (descending) {
      for (int i = lowArg, j = lowArg + runLength - 1; i < j; i++, j--) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
    return runLength;
  }

  private void binaryInsertionSort(int low, int startArg, int high) {
    int start = low == startArg ? startArg + 1 : startArg;
    for (; start < high; ++start) {
      int left = low;
      int right = start;
      T pivot = a[start];
      while (left < right) {
        int mid = left + ((right - left) >> 1);
        if (cmp.compare(pivot, a[mid]) < 0) {
          right = mid;
        } else {
          left = mid + 1;
        }
      }
      for (int p = start; p > left; --p) {
        a[p] = a[p - 1];
      }
      a[left] = pivot;
    }
  }

  private boolean invariant(int n) {
    if (n < 2) {
      return true;
    }
    return runLen[n - 2] > runLen[n - 1] + runLen[n];
  }

  private void mergeCollapse() {
    while (stackSize > 1) {
      int n = stackSize - 2;
      if (!invariant(n + 1) || !invariant(n)) {
        if (runLen[n - 1] < runLen[n + 1]) {
          --n;
        }
        mergeAt(n);
      } else if (runLen[n] <= runLen[n + 1]) {
        mergeAt(n);
      } else {
        break;
      }
    }
  }

  private void mergeForceCollapse() {
    while (stackSize > 1) {
      int n = stackSize - 2;
      if (n > 0 && runLen[n - 1] < runLen[n + 1]) {
        --n;
      }
      mergeAt(n);
    }
  }

  private void mergeAt(int i) {
    int baseA = runBase[i];
    int lengthA = runLen[i];
    int baseB = runBase[i + 1];
    int lengthB = runLen[i + 1];
    runLen[i] = lengthA + lengthB;
    if (i == stackSize - 3) {
      runBase[i + 1] = runBase[i + 2];
      runLen[i + 1] = runLen[i + 2];
    }
    stackSize--;
    T keyRight = a[baseB];
    int k = gallopRight(a, keyRight, baseA, lengthA, 0);
    baseA += k;
    lengthA -= k;
    if (lengthA == 0) {
      return;
    }
    T keyLeft = a[baseA + lengthA - 1];
    lengthB = gallopLeft(a, keyLeft, baseB, lengthB, lengthB - 1);
    if (lengthB == 0) {
      return;
    }
    if (lengthA <= lengthB) {
      mergeLow(baseA, lengthA, baseB, lengthB);
    } else {
      mergeHigh(baseA, lengthA, baseB, lengthB);
    }
  }

  private int gallopLeft(T[] arr, T key, int base, int length, int hint) {
    int lastOfs = 0;
    int offset = 1;
    int order = cmp.compare(arr[base + hint], key);
    if (order < 0) {
      int maxOfs = length - hint;
      while (offset < maxOfs) {
        order = cmp.compare(arr[base + hint + offset], key);
        if (order >= 0) {
          break;
        }
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) {
          offset = maxOfs;
        }
      }
      if (offset > maxOfs) {
        offset = maxOfs;
      }
      lastOfs += hint;
      offset += hint;
    } else {
      int maxOfs = hint + 1;
      while (offset < maxOfs) {
        order = cmp.compare(arr[base + hint - offset], key);
        if (order < 0) {
          break;
        }
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) {
          offset = maxOfs;
        }
      }
      if (offset > maxOfs) {
        offset = maxOfs;
      }
      int tmp = lastOfs;
      lastOfs = hint - offset;
      offset = hint - tmp;
    }
    lastOfs++;
    while (lastOfs < offset) {
      int m = lastOfs + ((offset - lastOfs) >> 1);
      if (cmp.compare(arr[base + m], key) < 0) {
        lastOfs = m + 1;
      } else {
        offset = m;
      }
    }
    return offset;
  }

  private int gallopRight(T[] arr, T key, int base, int length, int hint) {
    int lastOfs = 0;
    int offset = 1;
    int order = cmp.compare(key, arr[base + hint]);
    if (order < 0) {
      int maxOfs = hint + 1;
      while (offset < maxOfs) {
        order = cmp.compare(key, arr[base + hint - offset]);
        if (order >= 0) {
          break;
        }
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) {
          offset = maxOfs;
        }
      }
      if (offset > maxOfs) {
        offset = maxOfs;
      }
      int tmp = lastOfs;
      lastOfs = hint - offset;
      offset = hint - tmp;
    } else {
      int maxOfs = length - hint;
      while (offset < maxOfs) {
        order = cmp.compare(key, arr[base + hint + offset]);
        if (order < 0) {
          break;
        }
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) {
          offset = maxOfs;
        }
      }
      if (offset > maxOfs) {
        offset = maxOfs;
      }
      lastOfs += hint;
      offset += hint;
    }
    lastOfs++;
    while (lastOfs < offset) {
      int m = lastOfs + ((offset - lastOfs) >> 1);
      if (cmp.compare(key, arr[base + m]) < 0) {
        offset = m;
      } else {
        lastOfs = m + 1;
      }
    }
    return offset;
  }

  private void mergeLow(int baseA, int lengthA, int baseB, int lengthB) {
    T[] temp = java.util.Arrays.copyOfRange(a, baseA, baseA + lengthA);
    int dest = baseA;
    int cursorTemp = 0;
    int cursorB = baseB;
    a[dest++] = a[cursorB++];
    boolean copyB = false;
    outer:
    {
      if (--lengthB == 0) {
        break outer;
      }
      if (lengthA == 1) {
        copyB = true;
        break outer;
      }
      int mg = minGallop;
      while (true) {
        int winsA = 0;
        int winsB = 0;
        while (true) {
          if (cmp.compare(a[cursorB], temp[cursorTemp]) < 0) {
            a[dest++] = a[cursorB++];
            ++winsB;
            --lengthB;
            winsA = 0;
            if (lengthB == 0) {
              break outer;
            }
            if (winsB >= mg) {
              break;
            }
          } else {
            a[dest++] = temp[cursorTemp++];
            ++winsA;
            --lengthA;
            winsB = 0;
            if (lengthA == 1) {
              copyB = true;
              break outer;
            }
            if (winsA >= mg) {
              break;
            }
          }
        }
        ++mg;
        boolean first = true;
        while (winsA >= MIN_GALLOP || winsB >= MIN_GALLOP || first) {
          first = false;
          mg = Math.max(1, mg - 1);
          minGallop = mg;
          winsA = gallopRight(temp, a[cursorB], cursorTemp, lengthA, 0);
          if (winsA > 0) {
            System.arraycopy(temp, cursorTemp, a, dest, winsA);
            dest += winsA;
            cursorTemp += winsA;
            lengthA -= winsA;
            if (lengthA == 1) {
              copyB = true;
              break outer;
            }
            if (lengthA == 0) {
              break outer;
            }
          }
          a[dest++] = a[cursorB++];
          if (--lengthB == 0) {
            break outer;
          }
          winsB = gallopLeft(a, temp[cursorTemp], cursorB, lengthB, 0);
          if (winsB > 0) {
            System.arraycopy(a, cursorB, a, dest, winsB);
            dest += winsB;
            cursorB += winsB;
            lengthB -= winsB;
            if (lengthB == 0) {
              break outer;
            }
          }
          a[dest++] = temp[cursorTemp++];
          if (--lengthA == 1) {
            copyB = true;
            break outer;
          }
        }
        ++mg;
        minGallop = mg;
      }
    }
    if (copyB) {
      System.arraycopy(a, cursorB, a, dest, lengthB);
      a[dest + lengthB] = temp[cursorTemp];
    } else if (lengthA > 0) {
      System.arraycopy(temp, cursorTemp, a, dest, lengthA);
    }
  }

  private void mergeHigh(int baseA, int lengthA, int baseB, int lengthB) {
    T[] temp = java.util.Arrays.copyOfRange(a, baseB, baseB + lengthB);
    int dest = baseB + lengthB - 1;
    int cursorTemp = lengthB - 1;
    int cursorA = baseA + lengthA - 1;
    a[dest--] = a[cursorA--];
    boolean copyA = false;
    outer:
    {
      if (--lengthA == 0) {
        break outer;
      }
      if (lengthB == 1) {
        copyA = true;
        break outer;
      }
      int mg = minGallop;
      while (true) {
        int winsA = 0;
        int winsB = 0;
        while (true) {
          if (cmp.compare(temp[cursorTemp], a[cursorA]) < 0) {
            a[dest--] = a[cursorA--];
            ++winsA;
            --lengthA;
            winsB = 0;
            if (lengthA == 0) {
              break outer;
            }
            if (winsA >= mg) {
              break;
            }
          } else {
            a[dest--] = temp[cursorTemp--];
            ++winsB;
            --lengthB;
            winsA = 0;
            if (lengthB == 1) {
              copyA = true;
              break outer;
            }
            if (winsB >= mg) {
              break;
            }
          }
        }
        ++mg;
        boolean first = true;
        while (winsA >= MIN_GALLOP || winsB >= MIN_GALLOP || first) {
          first = false;
          mg = Math.max(1, mg - 1);
          minGallop = mg;
          int k = gallopRight(a, temp[cursorTemp], baseA, lengthA, lengthA - 1);
          winsA = lengthA - k;
          if (winsA > 0) {
            dest -= winsA;
            cursorA -= winsA;
            System.arraycopy(a, cursorA + 1, a, dest + 1, winsA);
            lengthA -= winsA;
            if (lengthA == 0) {
              break outer;
            }
          }
          a[dest--] = temp[cursorTemp--];
          if (--lengthB == 1) {
            copyA = true;
            break outer;
          }
          k = gallopLeft(temp, a[cursorA], 0, lengthB, lengthB - 1);
          winsB = lengthB - k;
          if (winsB > 0) {
            dest -= winsB;
            cursorTemp -= winsB;
            System.arraycopy(temp, cursorTemp + 1, a, dest + 1, winsB);
            lengthB -= winsB;
            if (lengthB == 1) {
              copyA = true;
              break outer;
            }
            if (lengthB == 0) {
              break outer;
            }
          }
          a[dest--] = a[cursorA--];
          if (--lengthA == 0) {
            break outer;
          }
        }
        ++mg;
        minGallop = mg;
      }
    }
    if (copyA) {
      dest -= lengthA;
      cursorA -= lengthA;
      System.arraycopy(a, cursorA + 1, a, dest + 1, lengthA);
      a[dest] = temp[cursorTemp];
    } else if (lengthB > 0) {
      System.arraycopy(temp, 0, a, dest - (lengthB - 1), lengthB);
    }
  }
}
