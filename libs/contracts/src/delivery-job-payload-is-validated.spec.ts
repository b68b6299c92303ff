import { deliveryJobId, InvalidJobPayloadError, parseDeliveryJob } from './queues';

describe('a delivery job read back from Redis', () => {
  const id = '0b8e3a52-6f1f-4c4e-9d0b-3d6f3f2f8c11';

  it('is accepted when it names a delivery and a positive enqueueing', () => {
    const job = parseDeliveryJob({ deliveryId: id, seq: 3 });
    expect(job).toEqual({ deliveryId: id, seq: 3 });
    expect(deliveryJobId(job)).toBe(`${id}-3`);
  });

  it.each([
    [null, 'payload must be an object'],
    [[id], 'payload must be an object'],
    [{ deliveryId: 'nope', seq: 1 }, 'deliveryId'],
    [{ deliveryId: id, seq: 0 }, 'seq'],
    [{ deliveryId: id, seq: '2' }, 'seq'],
    [{ deliveryId: id, seq: 1, extra: true }, 'extra'],
  ])('is refused when it is %j, naming %s', (payload, named) => {
    expect(() => parseDeliveryJob(payload)).toThrow(InvalidJobPayloadError);
    expect(() => parseDeliveryJob(payload)).toThrow(named);
  });
});
