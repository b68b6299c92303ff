import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { Role } from '@leadex/contracts';
import { NotificationModel } from './notification.output';
import { NotificationsService } from './notifications.service';

const LIST_MAX = 200;

@Resolver(() => NotificationModel)
export class NotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @Query(() => [NotificationModel], { description: `Newest first. BUYER: its own; ADMIN, FINANCE: all. first: default 50, at most ${LIST_MAX}.` })
  notifications(
    @CurrentUser() user: AuthUser,
    @Args('unreadOnly', { type: () => Boolean, nullable: true }) unreadOnly: boolean | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
  ): Promise<NotificationModel[]> {
    return this.service.list(user, unreadOnly ?? false, Math.min(Math.max(first ?? 50, 1), LIST_MAX));
  }

  @Roles(Role.ADMIN, Role.BUYER)
  @Mutation(() => String, { nullable: true, description: "BUYER (own) or ADMIN. Where the buyer's notifications are also emailed (needs SMTP_URL); null = the portal only. Returns the address kept." })
  setNotificationEmail(
    @CurrentUser() user: AuthUser,
    @Args('buyerId', { type: () => ID }) buyerId: string,
    @Args('email', { type: () => String, nullable: true }) email: string | null,
  ): Promise<string | null> {
    return this.service.setEmail(user, buyerId, email ?? null);
  }

  @Mutation(() => Int, { description: "Marks notifications read; returns how many changed. BUYER: its own; ADMIN, FINANCE: the operators' (a buyer's stay unread for the buyer)." })
  markNotificationsRead(@CurrentUser() user: AuthUser, @Args('ids', { type: () => [ID] }) ids: string[]): Promise<number> {
    return this.service.markRead(user, ids);
  }
}
