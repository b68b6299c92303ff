import { registerEnumType } from '@nestjs/graphql';

export enum Disposition {
  CONTACTED = 'CONTACTED',
  APPOINTMENT = 'APPOINTMENT',
  CONVERTED = 'CONVERTED',
  NOT_INTERESTED = 'NOT_INTERESTED',
  BAD_DATA = 'BAD_DATA',
}
registerEnumType(Disposition, { name: 'Disposition', description: 'What became of a bought lead, as its buyer reports it; feeds conversion reports.' });
